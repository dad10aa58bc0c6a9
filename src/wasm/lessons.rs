//! `#[wasm_bindgen]` wrappers of the lecture's experiments (`crate::lessons`): conversions only.
