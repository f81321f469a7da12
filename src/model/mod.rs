pub mod names;
pub mod quantity;
