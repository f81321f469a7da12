pub mod names;
pub mod quantity;
pub mod suggest;
