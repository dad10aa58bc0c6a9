//! The native CLI over the same core the page runs in wasm.
//!
//! `softmax-lab train --dataset mnist --epochs 10 --lr 0.05 --batch 100 --l2 0 --seed 541 --out w.json`
//! prints one JSON line per epoch: `{"epoch", "train_loss", "test_loss", "test_accuracy", "seconds"}`.

// The CLI is native only; on wasm32 (where `cargo test --target wasm32…` also builds
// binaries) it compiles to an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand};
    use softmax_lab::data::DatasetKind;
    use softmax_lab::export::{TestMetrics, WeightsFile};
    use softmax_lab::files;
    use softmax_lab::train::{self, Hyperparameters, Trainer};
    use std::path::PathBuf;
    use std::process::ExitCode;
    use std::time::Instant;

    #[derive(Parser)]
    #[command(
        name = "softmax-lab",
        version,
        about = "Softmax regression on MNIST / Fashion-MNIST, the same core as the web lab"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Train with minibatch SGD and print one JSON line per epoch.
        #[command(allow_negative_numbers = true)]
        Train {
            /// mnist or fashion
            #[arg(long, default_value = "mnist")]
            dataset: String,
            #[arg(long, default_value_t = 10)]
            epochs: u32,
            /// Learning rate ε
            #[arg(long, default_value_t = train::DEFAULT_LEARNING_RATE)]
            lr: f64,
            /// Minibatch size
            #[arg(long, default_value_t = train::DEFAULT_BATCH_SIZE as f64)]
            batch: f64,
            /// L2 strength α in α·‖W‖²
            #[arg(long, default_value_t = train::DEFAULT_L2)]
            l2: f64,
            #[arg(long, default_value_t = f64::from(train::DEFAULT_SEED))]
            seed: f64,
            /// Directory holding mnist/ and fashion/ (default: the data set-up fetched)
            #[arg(long)]
            data: Option<PathBuf>,
            /// Write the final weights here (same format as the page's "Export weights")
            #[arg(long)]
            out: Option<PathBuf>,
        },
        /// Score a weights file on the full test set of its data set.
        Score {
            weights: PathBuf,
            #[arg(long)]
            data: Option<PathBuf>,
        },
    }

    fn run(cli: Cli) -> softmax_lab::Result<()> {
        match cli.command {
            Command::Train { dataset, epochs, lr, batch, l2, seed, data, out } => {
                let kind = DatasetKind::from_id(&dataset)?;
                let seed = train::seed_from_number(seed)?;
                let (train_set, test_set) = files::load(&files::data_dir(data.as_deref()), kind)?;
                let hyper = Hyperparameters::from_numbers(lr, batch, l2, train_set.len())?;
                let mut trainer = Trainer::new(train_set, test_set, hyper, seed)?;
                let mut last = None;
                for epoch in 1..=epochs {
                    let start = Instant::now();
                    let train_loss = trainer.run_epoch()?;
                    let seconds = start.elapsed().as_secs_f64();
                    let m = trainer.evaluate_test();
                    println!(
                        "{}",
                        serde_json::json!({"epoch": epoch, "train_loss": train_loss, "test_loss": m.loss, "test_accuracy": m.accuracy, "seconds": seconds})
                    );
                    last = Some(TestMetrics { loss: m.loss, accuracy: m.accuracy, examples: m.count });
                }
                if let Some(path) = out {
                    let file = WeightsFile::from_trainer(&trainer, kind, last);
                    std::fs::write(&path, file.to_json()).map_err(|e| softmax_lab::LabError::Io {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    })?;
                    eprintln!("wrote {}", path.display());
                }
                Ok(())
            }
            Command::Score { weights, data } => {
                let io = |e: std::io::Error| softmax_lab::LabError::Io {
                    path: weights.display().to_string(),
                    message: e.to_string(),
                };
                let file = WeightsFile::from_json(&std::fs::read_to_string(&weights).map_err(io)?)?;
                let (_, test_set) = files::load(&files::data_dir(data.as_deref()), file.dataset)?;
                let m = softmax_lab::model::evaluate(&file.model()?, &test_set, &file.transform(), train::EVAL_CHUNK)?;
                println!(
                    "{}",
                    serde_json::json!({"test_loss": m.loss, "test_accuracy": m.accuracy, "examples": m.count})
                );
                Ok(())
            }
        }
    }

    pub fn main() -> ExitCode {
        match run(Cli::parse()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("softmax-lab: {e}");
                ExitCode::FAILURE
            }
        }
    }
}
