//! The lecture's experiments, one module per section of the page.
//!
//! | section | module | what it computes |
//! |---|---|---|
//! | 1 Sigmoid | [`sigmoid`] | `σ`, `σ′`, `σ(−z)`, `1 − σ(z)` at a point and on a grid |
//! | 2 Logistic regression | [`logistic`] | a digit-pair model trained with MSE or log-loss; loss and gradient-factor curves against `ŷ` |
//! | 3 Attenuated gradient | [`attenuation`] | MSE vs log-loss from the same bad initialisation, in lockstep |
//! | 4 Softmax regression | [`softmax_details`] | `z_k`, `e^(z_k − m)`, `Σ`, `ŷ_k`, cross-entropy, one-hot; softmax with c = 2 vs logistic regression |
//! | 5 What the model learned | [`learned`] | contribution maps `w⁽ᵏ⁾ ⊙ x`; the test images behind a confusion-matrix cell |
//! | 6 Exercise 1 (L2) | [`l2`] | N1 (with `α‖W‖²`) and N2 (without) in lockstep: training and test loss |
//! | 7 Exercise 2 (all positive) | [`all_positive`] | `b`, `‖w‖`, training and test loss when every training label is 1 |
//! | 8 Exercise 3 (learning rate) | [`lr_search`] | grid search, exact hypergradient descent on `log ε`, online hypergradient descent |
//!
//! Shared machinery: [`common`] (the [`Lesson`] protocol a Worker drives in chunks, validation,
//! seeded minibatches, data subsets), [`binary`] (logistic models stepped in lockstep) and
//! [`sgd`] (a softmax model with its SGD scratch; the exact Hessian–vector product).
//! Everything is generic over [`crate::model::Real`]: the page runs `f32` (section 8 and the
//! c = 2 comparison `f64`), the checks `f64`. The `#[wasm_bindgen]` wrappers are in
//! `crate::wasm::lessons`.

pub mod all_positive;
pub mod attenuation;
pub mod binary;
pub mod common;
pub mod l2;
pub mod learned;
pub mod logistic;
pub mod lr_search;
pub mod sgd;
pub mod sigmoid;
pub mod softmax_details;

pub use common::Lesson;
