//! The native CLI over the same core the page runs in wasm.
//!
//! `softmax-lab train --dataset mnist --epochs 10 --lr 0.05 --batch 100 --l2 0 --seed 541 --out w.json`
//! prints one JSON line per epoch: `{"epoch", "train_loss", "test_loss", "test_accuracy", "seconds"}`.
//!
//! `softmax-lab train --epochs 10 --seeds 31` trains once per seed (`--seed`, `--seed` + 1, …) and
//! prints, per epoch, the spread of the test accuracy and loss over the seeds:
//! `{"epoch", "seeds", "test_accuracy": {"mean", "sd", "min", "max"}, "test_loss": {…}}`, with
//! `sd` the sample standard deviation (n − 1); a readable summary goes to stderr.

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
    use softmax_lab::formats::weights;
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
            #[arg(long, conflicts_with = "seeds")]
            out: Option<PathBuf>,
            /// Your own training set instead of --dataset: a CSV (label,pixel0,…,pixel783, 0–255) or
            /// two IDX files (images and labels)
            #[arg(long = "train", num_args = 1..=2, value_name = "FILE")]
            train_files: Vec<PathBuf>,
            /// Its test set (the same kinds of file); without it --test-share of --train is held out
            #[arg(long = "test", num_args = 1..=2, value_name = "FILE", requires = "train_files")]
            test_files: Vec<PathBuf>,
            /// Class names for --train: one per line, or comma-separated
            #[arg(long, requires = "train_files")]
            names: Option<PathBuf>,
            /// Share of --train held out as the test set when there is no --test (chosen with --seed)
            #[arg(long, default_value_t = 0.2)]
            test_share: f64,
            /// Train once for each of this many consecutive seeds from --seed and print the spread
            /// (mean, sd, min, max) of the test accuracy and loss after each epoch
            #[arg(long, value_parser = clap::value_parser!(u32).range(1..=spread::MAX_SEEDS))]
            seeds: Option<u32>,
        },
        /// Score a weights file on the full test set of its data set.
        /// (`.json`, or numpy: one `.npz`, or two `.npy` files W and b; their input transform is the
        /// file's mean/std if it has them, else the one of pixel/255 and standardised that scores best.)
        Score {
            #[arg(required = true, num_args = 1..=2)]
            weights: Vec<PathBuf>,
            #[arg(long)]
            data: Option<PathBuf>,
            /// The data set numpy weights are for (default: fashion if the file's class names are
            /// Fashion-MNIST's, else mnist); JSON files say it themselves
            #[arg(long)]
            dataset: Option<String>,
        },
    }

    fn run(cli: Cli) -> softmax_lab::Result<()> {
        match cli.command {
            Command::Train {
                dataset,
                epochs,
                lr,
                batch,
                l2,
                seed,
                data,
                out,
                train_files,
                test_files,
                names,
                test_share,
                seeds,
            } => {
                let seed = train::seed_from_number(seed)?;
                let (kind, train_set, test_set, class_names) = if train_files.is_empty() {
                    let kind = DatasetKind::from_id(&dataset)?;
                    let (train_set, test_set) = files::load(&files::data_dir(data.as_deref()), kind)?;
                    (kind, train_set, test_set, kind.class_names())
                } else {
                    own_files::load(&train_files, &test_files, names.as_deref(), test_share, seed)?
                };
                let hyper = Hyperparameters::from_numbers(lr, batch, l2, train_set.len())?;
                if let Some(n) = seeds {
                    return spread::train_seeds(&train_set, &test_set, hyper, seed, n, epochs);
                }
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
                    let bytes = if numpy::is_numpy(&path) {
                        weights::to_npz(trainer.model(), trainer.transform(), &class_names)?
                    } else {
                        WeightsFile::from_trainer(&trainer, kind, last).with_classes(class_names).to_json().into_bytes()
                    };
                    std::fs::write(&path, bytes).map_err(|e| softmax_lab::LabError::Io {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    })?;
                    eprintln!("wrote {}", path.display());
                }
                Ok(())
            }
            Command::Score { weights, data, dataset } if weights.iter().any(|p| numpy::is_numpy(p)) => {
                numpy::score(&weights, data.as_deref(), dataset.as_deref())
            }
            Command::Score { weights, data, .. } => {
                let [weights] = &weights[..] else {
                    return Err(softmax_lab::LabError::Invalid("score takes one JSON weights file".into()));
                };
                let io = |e: std::io::Error| softmax_lab::LabError::Io {
                    path: weights.display().to_string(),
                    message: e.to_string(),
                };
                let file = WeightsFile::from_json(&std::fs::read_to_string(weights).map_err(io)?)?;
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

    /// `train --seeds N`: the same training over several seeds, summarised per epoch.
    mod spread {
        use softmax_lab::data::Dataset;
        use softmax_lab::train::{Hyperparameters, Trainer};
        use softmax_lab::LabError;
        use std::sync::Arc;

        /// Most seeds one command trains.
        pub const MAX_SEEDS: i64 = 1000;

        /// Mean, sample standard deviation (n − 1; 0 for one value), min and max.
        fn summary(v: &[f64]) -> serde_json::Value {
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let sd =
                if v.len() > 1 { (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt() } else { 0.0 };
            let min = v.iter().copied().fold(f64::INFINITY, f64::min);
            let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            serde_json::json!({"mean": mean, "sd": sd, "min": min, "max": max})
        }

        /// Train `epochs` epochs with each of the seeds `first..first + n` and print, per epoch,
        /// the spread of the test accuracy and loss over the seeds.
        pub fn train_seeds(
            train: &Arc<Dataset>,
            test: &Arc<Dataset>,
            hyper: Hyperparameters,
            first: u32,
            n: u32,
            epochs: u32,
        ) -> softmax_lab::Result<()> {
            let last = first.checked_add(n - 1).ok_or_else(|| {
                LabError::Invalid(format!("--seed + --seeds must stay below 2^32; got seed {first} and {n} seeds"))
            })?;
            let epochs = epochs as usize;
            let (mut acc, mut loss) = (vec![Vec::new(); epochs], vec![Vec::new(); epochs]);
            for seed in first..=last {
                let mut trainer = Trainer::new(train.clone(), test.clone(), hyper, seed)?;
                for e in 0..epochs {
                    trainer.run_epoch()?;
                    let m = trainer.evaluate_test();
                    acc[e].push(m.accuracy);
                    loss[e].push(m.loss);
                }
            }
            for e in 0..epochs {
                let (a, l) = (summary(&acc[e]), summary(&loss[e]));
                eprintln!(
                    "epoch {}: test accuracy {:.4} ± {:.4} (mean ± sd over {n} seeds {first}–{last}; min {:.4}, max {:.4})",
                    e + 1,
                    a["mean"].as_f64().unwrap_or(f64::NAN),
                    a["sd"].as_f64().unwrap_or(f64::NAN),
                    a["min"].as_f64().unwrap_or(f64::NAN),
                    a["max"].as_f64().unwrap_or(f64::NAN),
                );
                println!(
                    "{}",
                    serde_json::json!({"epoch": e + 1, "seeds": n, "first_seed": first, "test_accuracy": a, "test_loss": l})
                );
            }
            Ok(())
        }
    }

    /// `train --train a.csv [--test b.csv] [--names names.txt]`: the user's own data set.
    mod own_files {
        use softmax_lab::data::own::{self, SetFiles};
        use softmax_lab::data::{Dataset, DatasetKind};
        use softmax_lab::{LabError, Result};
        use std::path::{Path, PathBuf};
        use std::sync::Arc;

        type Loaded = (DatasetKind, Arc<Dataset>, Arc<Dataset>, Vec<String>);

        fn read(path: &Path) -> Result<(String, Vec<u8>)> {
            let io = |e: std::io::Error| LabError::Io { path: path.display().to_string(), message: e.to_string() };
            Ok((path.display().to_string(), std::fs::read(path).map_err(io)?))
        }

        pub fn load(
            train: &[PathBuf],
            test: &[PathBuf],
            names: Option<&Path>,
            share: f64,
            seed: u32,
        ) -> Result<Loaded> {
            let set = |paths: &[PathBuf], what: &str| -> Result<SetFiles> {
                SetFiles::from_files(paths.iter().map(|p| read(p)).collect::<Result<_>>()?, what)
            };
            let train = set(train, "training file")?;
            let test = if test.is_empty() { None } else { Some(set(test, "test file")?) };
            let names = names.map(read).transpose()?;
            let d = own::load(train, test, names.as_ref().map(|(_, b)| b.as_slice()), share, seed)?;
            eprintln!(
                "your data set: {} training and {} test images{}, classes {}",
                d.train.len(),
                d.test.len(),
                if d.held_out { " (held out with the seed)" } else { "" },
                d.class_names.join(", ")
            );
            Ok((DatasetKind::Files, Arc::new(d.train), Arc::new(d.test), d.class_names))
        }
    }

    /// numpy weights on the command line (`score W.npz`, `train --out w.npz`).
    mod numpy {
        use softmax_lab::data::{DatasetKind, InputTransform};
        use softmax_lab::files;
        use softmax_lab::formats::{weights, ForeignWeights};
        use softmax_lab::train::{self, Hyperparameters, Trainer};
        use softmax_lab::{LabError, Result};
        use std::path::{Path, PathBuf};

        /// Whether `path` names a numpy file (`.npz` or `.npy`).
        pub fn is_numpy(path: &Path) -> bool {
            matches!(path.extension().and_then(|e| e.to_str()), Some("npz" | "npy"))
        }

        fn read(path: &Path) -> Result<Vec<u8>> {
            std::fs::read(path).map_err(|e| LabError::Io { path: path.display().to_string(), message: e.to_string() })
        }

        /// Score numpy weights on the test set, under the file's transform or the best one.
        pub fn score(paths: &[PathBuf], data: Option<&Path>, dataset: Option<&str>) -> Result<()> {
            let fw = match paths {
                [one] => ForeignWeights::from_npz(&read(one)?, &one.display().to_string())?,
                _ => {
                    let bytes = paths.iter().map(|p| read(p)).collect::<Result<Vec<_>>>()?;
                    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                    let files: Vec<(&str, &[u8])> =
                        names.iter().map(String::as_str).zip(bytes.iter().map(Vec::as_slice)).collect();
                    ForeignWeights::from_npy_files(&files)?
                }
            };
            let kind = match dataset {
                Some(id) => DatasetKind::from_id(id)?,
                None if fw.class_names.as_ref() == Some(&DatasetKind::Fashion.class_names()) => DatasetKind::Fashion,
                None => DatasetKind::Mnist,
            };
            let (train_set, test_set) = files::load(&files::data_dir(data), kind)?;
            let mut trainer = Trainer::new(train_set, test_set, Hyperparameters::default(), train::DEFAULT_SEED)?;
            let (scores, best) = weights::score_transforms(&fw, &mut trainer, None)?;
            let chosen = scores.iter().position(|s| s.id == "file").unwrap_or(best);
            let s = &scores[chosen];
            weights::apply(&fw, &mut trainer, InputTransform { mean: s.mean, std: s.std })?;
            let m = trainer.evaluate_test();
            println!(
                "{}",
                serde_json::json!({"test_loss": m.loss, "test_accuracy": m.accuracy, "examples": m.count,
                    "dataset": kind.id(), "transform": s.id, "read": fw.description,
                    "transforms": scores.iter().map(|s| serde_json::json!({"transform": s.id, "mean": s.mean, "std": s.std, "test_accuracy": s.accuracy})).collect::<Vec<_>>()})
            );
            Ok(())
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
