//! What `build.rs` compiles into the binary: the built-in `templates/` and `static/` files (an
//! archive's own override them file by file) and `BUILD_ID`. Apart from every stage, so that
//! the cache can reach the build's id without depending on the stages that use the files.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
