//! The lecture's experiments, one module per section of the page (issue 3).
//!
//! | section | module | what it computes |
//! |---|---|---|
//! | 1 Sigmoid | [`sigmoid`] | `σ`, `σ′`, `σ(−z)`, `1 − σ(z)` at a point and on a grid |
//! | 2 Logistic regression | [`logistic`] | a digit-pair model trained with MSE or log-loss; loss and gradient-factor curves |
//! | 3 Attenuated gradient | [`attenuation`] | MSE vs log-loss from the same bad initialisation, in lockstep |
//!
//! Shared machinery: [`common`] (the [`Lesson`] protocol, validation, seeded minibatches,
//! data subsets) and [`binary`] (logistic models stepped in lockstep).
//! Everything is generic over [`crate::model::Real`]: the page runs `f32`, the checks `f64`.

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
