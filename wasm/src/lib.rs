//! WASM bindings for xborder (work in progress).
