//! StatefulSet spec rules (CC1xx) and object metadata.

use crate::engine::{Ctx, Object};
use crate::registry::RuleMeta;

pub const RULES: &[RuleMeta] = &[];

pub fn check(_ctx: &mut Ctx, _obj: &Object) {}
