//! Pod template rules (CC112): what pod validation rejects when the controller creates pods.

use crate::engine::{Ctx, Object};
use crate::registry::RuleMeta;

pub const RULES: &[RuleMeta] = &[];

pub fn check(_ctx: &mut Ctx, _obj: &Object) {}
