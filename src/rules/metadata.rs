//! Object metadata rules (CC008): names, labels, annotations and namespaces of StatefulSets,
//! PVCs, pod templates and claim templates.

use crate::engine::{Ctx, Object};
use crate::registry::RuleMeta;

pub const RULES: &[RuleMeta] = &[];

pub fn check(_ctx: &mut Ctx, _obj: &Object) {}
