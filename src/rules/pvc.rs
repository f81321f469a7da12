//! Claim spec rules (CC203–CC218): each StatefulSet claim template and each standalone PVC.

use crate::engine::{Ctx, Object};
use crate::registry::RuleMeta;

pub const RULES: &[RuleMeta] = &[];

pub fn check(_ctx: &mut Ctx, _obj: &Object) {}
