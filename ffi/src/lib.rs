//! C ABI for xborder (work in progress).
