//! Unit tests of the pod family's shared checks.

use super::env::env_name_problem;
use super::ports::port_name_problems;
use super::resources::is_extended;
use super::resources::overcommit_allowed;
use super::*;

#[test]
fn port_names() {
    assert!(port_name_problems("web").is_empty());
    assert!(port_name_problems("http-2").is_empty());
    assert!(!port_name_problems("HTTP").is_empty());
    assert!(!port_name_problems("80").is_empty());
    assert!(!port_name_problems("a--b").is_empty());
    assert!(!port_name_problems("-web").is_empty());
    assert!(!port_name_problems("a-very-long-port-name").is_empty());
}

#[test]
fn env_names_follow_the_version() {
    let v131 = KubeVersion::new(1, 31);
    let v132 = KubeVersion::new(1, 32);
    assert!(env_name_problem("MY_VAR.x-1", v131).is_none());
    assert!(env_name_problem("1VAR", v131).is_some());
    assert!(env_name_problem("1VAR", v132).is_none());
    assert!(env_name_problem("A=B", v132).is_some());
    assert!(env_name_problem("tab\there", v132).is_some());
}

#[test]
fn overcommit() {
    assert!(overcommit_allowed("cpu"));
    assert!(overcommit_allowed("memory"));
    assert!(!overcommit_allowed("hugepages-2Mi"));
    assert!(!overcommit_allowed("nvidia.com/gpu"));
    assert!(is_extended("nvidia.com/gpu"));
    assert!(!is_extended("cpu"));
}
