//! Only here to give the trybuild cases in `ui/` a crate to depend on.
