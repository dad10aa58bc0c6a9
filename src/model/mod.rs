//! Models: softmax regression (multi-class) and logistic regression (binary).

pub mod kernel;
pub mod logistic;
pub mod softmax;

pub use softmax::{evaluate, softmax, Gradient, Metrics, Real, SoftmaxRegression};
