//! One container's volumeMounts and volumeDevices, as every mount rule sees them: the names and
//! paths of both lists (a rule about a mount often needs the devices, and the reverse), and the
//! walk that hands each mount and each device to the rules in turn.

use std::collections::{BTreeSet, HashMap};

use super::volume_device_not_found::DeviceCandidates;
use super::Site;
use crate::model::volumes::{string_field, VolumeNames};
use crate::rule::{Ctx, Object};
use crate::source::{Node, Value};

/// The mounts and devices of one container.
pub(super) struct Container<'a> {
    pub mounts: &'a [Node],
    pub devices: &'a [Node],
    /// Non-empty names in `volumeMounts` / `volumeDevices` (the mounts' only looked up for a
    /// device: empty when the container has none).
    pub mount_names: BTreeSet<&'a str>,
    pub device_names: BTreeSet<&'a str>,
    /// `mountPath` of each mount, by index (`None`: missing, empty or not a string).
    pub mount_paths: Vec<Option<&'a str>>,
    /// The first index of each mountPath / devicePath, so that repeats are found in linear
    /// time however many mounts a container has.
    pub mount_first: HashMap<&'a str, usize>,
    pub device_first: HashMap<&'a str, usize>,
    /// For each mountPath without trailing slashes, the first index of each spelling of it
    /// (`/data`, `/data/`); empty when no mountPath ends with a slash.
    pub mount_spellings: HashMap<&'a str, Vec<(usize, &'a str)>>,
    /// `securityContext.privileged: true`.
    pub privileged: bool,
}

/// One volumeMount or volumeDevice, where it is and how messages name it.
pub(super) struct Item<'a> {
    pub j: usize,
    pub node: &'a Node,
    /// Object-relative pointer of the item.
    pub at: Lazy<'a>,
    /// Its name ("" when missing).
    pub name: &'a str,
    /// "volumeMount `data` of container `app`", "volumeDevice 1 of …".
    pub label: Lazy<'a>,
}

/// A text that only findings need (an item's pointer or label), built on first use: a clean
/// container's mounts build none.
pub(super) struct Lazy<'a> {
    of: LazyOf<'a>,
    text: std::cell::OnceCell<String>,
}

enum LazyOf<'a> {
    /// `{base}/{key}/{j}`
    Pointer {
        base: &'a str,
        key: &'static str,
        j: usize,
    },
    /// `{kind} {j} of {who}` or `{kind} `{name}` of {who}`
    Label {
        kind: &'static str,
        name: &'a str,
        j: usize,
        who: &'a str,
    },
}

impl<'a> Lazy<'a> {
    fn new(of: LazyOf<'a>) -> Self {
        Lazy {
            of,
            text: std::cell::OnceCell::new(),
        }
    }
}

impl std::ops::Deref for Lazy<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.text.get_or_init(|| match self.of {
            LazyOf::Pointer { base, key, j } => format!("{base}/{key}/{j}"),
            LazyOf::Label {
                kind,
                name: "",
                j,
                who,
            } => format!("{kind} {j} of {who}"),
            LazyOf::Label {
                kind, name, who, ..
            } => format!("{kind} `{name}` of {who}"),
        })
    }
}

impl std::fmt::Display for Lazy<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

/// The values of `key` of each item, by index.
fn paths_of<'a>(items: &'a [Node], key: &str) -> Vec<Option<&'a str>> {
    items
        .iter()
        .map(|m| {
            string_field(m, key)
                .ok()
                .flatten()
                .filter(|p| !p.is_empty())
        })
        .collect()
}

fn names_of(items: &[Node]) -> BTreeSet<&str> {
    items
        .iter()
        .filter_map(|m| m.str_at(&["name"]))
        .filter(|n| !n.is_empty())
        .collect()
}

fn first_indices<'a>(paths: &[Option<&'a str>]) -> HashMap<&'a str, usize> {
    let mut first = HashMap::with_capacity(paths.len());
    for (j, p) in paths.iter().enumerate() {
        if let Some(p) = p {
            first.entry(*p).or_insert(j);
        }
    }
    first
}

impl<'a> Container<'a> {
    pub fn of(c: &'a Node) -> Self {
        let mounts = c.get("volumeMounts").and_then(Node::as_seq).unwrap_or(&[]);
        let devices = c.get("volumeDevices").and_then(Node::as_seq).unwrap_or(&[]);
        let mount_paths = paths_of(mounts, "mountPath");
        let device_paths = paths_of(devices, "devicePath");
        let mount_first = first_indices(&mount_paths);
        let mut mount_spellings: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
        // two paths are the same directory spelt otherwise only if one ends with a slash: when
        // none does, every directory has one spelling and the map is not needed
        if mount_first.keys().any(|p| p.ends_with('/')) {
            for (p, j) in &mount_first {
                mount_spellings
                    .entry(p.trim_end_matches('/'))
                    .or_default()
                    .push((*j, *p));
            }
        }
        Container {
            mounts,
            devices,
            mount_names: if devices.is_empty() {
                BTreeSet::new()
            } else {
                names_of(mounts)
            },
            device_names: names_of(devices),
            device_first: first_indices(&device_paths),
            mount_first,
            mount_spellings,
            mount_paths,
            privileged: c.path(&["securityContext", "privileged"]).map(|p| &p.value)
                == Some(&Value::Bool(true)),
        }
    }
}

fn items<'a>(
    list: &'a [Node],
    base: &'a str,
    key: &'static str,
    kind: &'static str,
    who: &'a str,
) -> Vec<Item<'a>> {
    list.iter()
        .enumerate()
        .map(|(j, node)| {
            let name = node.str_at(&["name"]).unwrap_or("");
            Item {
                j,
                node,
                at: Lazy::new(LazyOf::Pointer { base, key, j }),
                name,
                label: Lazy::new(LazyOf::Label { kind, name, j, who }),
            }
        })
        .collect()
}

/// Every rule's checks of one container's mounts, then of its devices.
pub(super) fn check_container(
    ctx: &mut Ctx,
    obj: &Object,
    c: &Node,
    site: &Site,
    vols: &VolumeNames,
    names: &DeviceCandidates,
) {
    let cont = Container::of(c);
    for m in items(
        cont.mounts,
        site.base,
        "volumeMounts",
        "volumeMount",
        site.who,
    ) {
        super::mount_path_missing::check_mount(ctx, obj, &m, site);
        super::duplicate_mount_path::check_mount(ctx, obj, &cont, &m, site);
        super::block_volume_mounted::check_mount(ctx, obj, &cont, &m, site, vols);
        super::invalid_sub_path::check_sub_path(
            ctx,
            obj,
            m.node,
            &m.at,
            &m.label,
            site.consequence,
        );
        super::invalid_volume_mount::check_mount_options(
            ctx,
            obj,
            m.node,
            &m.at,
            &m.label,
            cont.privileged,
            site.consequence,
        );
    }
    let mut seen = std::collections::HashMap::new();
    for d in items(
        cont.devices,
        site.base,
        "volumeDevices",
        "volumeDevice",
        site.who,
    ) {
        super::volume_device_not_found::check_device(ctx, obj, &d, site, vols, names);
        super::invalid_volume_mount::check_device_repeat(ctx, obj, &d, site, &mut seen);
        super::block_volume_mounted::check_device(ctx, obj, &cont, &d, site, vols);
        super::mount_path_missing::check_device(ctx, obj, &d, site);
        super::invalid_volume_mount::check_device_path(ctx, obj, &d, site);
        super::duplicate_mount_path::check_device(ctx, obj, &cont, &d, site);
    }
}
