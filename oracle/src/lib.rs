//! Nothing here: the oracle is `tests/librdkafka.rs`.
