//! Unit tests of the bundle family's helpers (what the rules find on whole manifests is
//! tested through the engine in tests/families/bundle.rs).

use super::access_mode_unsupported::provisioner;
use super::{class_of, Class};

#[test]
fn provisioner_names_and_rook_prefixes() {
    assert_eq!(
        provisioner("rook-ceph.rbd.csi.ceph.com").map(|p| p.product),
        Some("Ceph RBD")
    );
    assert_eq!(
        provisioner("ceph.cephfs.csi.ceph.com").map(|p| p.product),
        Some("a shared file system")
    );
    // the suffix alone is not a name
    assert!(provisioner(".rbd.csi.ceph.com").is_none());
    assert!(provisioner("example.com/ebs.csi.aws.com").is_none());
    assert_eq!(
        provisioner("kubernetes.io/aws-ebs").map(|p| p.product),
        Some("Amazon EBS")
    );
}

#[test]
fn beta_annotation_wins_over_the_field() {
    let t = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\n  annotations:\n    volume.beta.kubernetes.io/storage-class: \"\"\nspec:\n  storageClassName: fast\n  volumeName: pv\n";
    let root = crate::source::parse_stream(t, &crate::source::Limits::default());
    let node = &root.documents[0].root;
    assert_eq!(
        class_of(node).map(|(c, _)| c),
        Some(Class::Empty),
        "annotation decides"
    );
}
