//! Update rules (CC5xx): what may change between the live object and the new one.

use crate::engine::{Bundle, Ctx, Object};
use crate::registry::RuleMeta;

pub const RULES: &[RuleMeta] = &[];

/// `new` replaces `old` (same kind; same name unless the name itself changed).
pub fn check(_ctx: &mut Ctx, _new: &Object, _old: &Object, _bundle: &Bundle) {}
