//! Logistic regression `ŷ = σ(xᵀw + b)` (binary), with MSE or log-loss (see issue 3).
