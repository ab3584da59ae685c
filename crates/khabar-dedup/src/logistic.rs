//! A small logistic regression: the cross-language matcher's learned
//! weights are trained with it (see `examples/train_crosslang.rs`) and
//! applied with [`Logistic::probability`]. Deterministic full-batch
//! gradient descent with a little L2, so the same fixtures always give the
//! same weights file.

/// Weights and bias of a trained model.
#[derive(Debug, Clone, PartialEq)]
pub struct Logistic {
    pub weights: Vec<f64>,
    pub bias: f64,
}

impl Logistic {
    /// P(positive) for a feature vector (missing features count as 0).
    pub fn probability(&self, x: &[f64]) -> f64 {
        let z: f64 = self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }

    /// Fits weights to labelled examples by gradient descent on the mean
    /// log loss plus `l2` times the squared weights (not the bias).
    pub fn train(xs: &[Vec<f64>], ys: &[bool], l2: f64, rounds: usize, rate: f64) -> Logistic {
        let dim = xs.first().map_or(0, Vec::len);
        let mut m = Logistic {
            weights: vec![0.0; dim],
            bias: 0.0,
        };
        let n = xs.len().max(1) as f64;
        for _ in 0..rounds {
            let mut gw = vec![0.0; dim];
            let mut gb = 0.0;
            for (x, &y) in xs.iter().zip(ys) {
                let err = m.probability(x) - if y { 1.0 } else { 0.0 };
                for (g, v) in gw.iter_mut().zip(x) {
                    *g += err * v;
                }
                gb += err;
            }
            for (w, g) in m.weights.iter_mut().zip(&gw) {
                *w -= rate * (g / n + 2.0 * l2 * *w);
            }
            m.bias -= rate * gb / n;
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_rule() {
        let xs: Vec<Vec<f64>> = (0..40).map(|i| vec![i as f64 / 10.0, 1.0]).collect();
        let ys: Vec<bool> = (0..40).map(|i| i >= 20).collect();
        let m = Logistic::train(&xs, &ys, 0.0, 3000, 0.5);
        assert!(m.probability(&[3.5, 1.0]) > 0.9);
        assert!(m.probability(&[0.5, 1.0]) < 0.1);
        assert!(m.weights[0] > 0.0);
    }
}
