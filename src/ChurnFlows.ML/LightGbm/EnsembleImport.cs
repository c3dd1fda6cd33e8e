using ChurnFlows.ML.Data;
using ChurnFlows.ML.Trees;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers.FastTree;
using OurTree = ChurnFlows.ML.Trees.RegressionTree;

namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// Turns the ensemble ML.NET trained (its public <c>TrainedTreeEnsemble</c> and Platt calibrator) into a
/// <see cref="GbdtModel"/> over the raw features, so the compiled predictor and TreeSHAP serve it, with the same
/// scores as ML.NET's own <c>Transform</c> of the raw rows.
/// </summary>
/// <remarks>
/// Three foldings make that exact. (1) Missing values: a split on a replaced feature sends a missing value where its
/// replacement goes; a split on an indicator column becomes a split on the feature itself whose non-missing values
/// all go one way (threshold ±<see cref="double.MaxValue"/>) and missing values the other. (2) Precision: ML.NET
/// compares <c>(float)x ≤ t</c>; the imported threshold is the largest double that rounds to at most <c>t</c>, so
/// <c>x ≤ T</c> decides every double alike. (3) Calibration: the raw score is <c>−(Slope·(Bias + Σ weight·leaf) + Offset)</c>,
/// so the model's sigmoid is ML.NET's probability. Covers (TreeSHAP's weights) are left at 0 by the import and counted
/// afterwards by <see cref="WithCovers"/>, only for models that will be explained: tuning trials need only scores.
/// </remarks>
internal static class EnsembleImport
{
    public static GbdtModel ToGbdtModel(RegressionTreeEnsemble ensemble, PlattCalibrator calibrator, MissingValueImputation imputation, IReadOnlyList<string> featureNames)
    {
        var scale = -calibrator.Slope;
        var trees = new OurTree[ensemble.Trees.Count];
        for (var t = 0; t < trees.Length; t++)
        {
            trees[t] = Import(ensemble.Trees[t], scale * ensemble.TreeWeights[t], imputation, featureNames.Count);
        }

        return new GbdtModel(featureNames, (scale * ensemble.Bias) - calibrator.Offset, trees, trees.Length);
    }

    /// <summary>The same model with every node's cover counted on <paramref name="rows"/> (the training rows).</summary>
    public static GbdtModel WithCovers(GbdtModel model, FeatureMatrix rows, int threads)
    {
        var trees = new OurTree[model.Trees.Count];
        Parallel.For(0, trees.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var tree = model.Trees[t];
            var (internalCovers, leafCovers) = TreeCovers.Count(tree, rows);
            trees[t] = new OurTree(tree.SplitFeatures, tree.Thresholds, tree.DefaultLeft, tree.LeftChildren, tree.RightChildren, tree.SplitGains, internalCovers, tree.LeafValues, leafCovers);
        });
        return new GbdtModel(model.FeatureNames, model.InitScore, trees, model.BestIteration);
    }

    /// <summary>The largest double that single precision rounds to at most <paramref name="threshold"/>.</summary>
    internal static double Widen(float threshold)
    {
        var up = MathF.BitIncrement(threshold);
        if (!float.IsFinite(threshold) || !float.IsFinite(up))
        {
            return threshold;
        }

        var midpoint = ((double)threshold + up) / 2;
        return (float)midpoint <= threshold ? midpoint : Math.BitDecrement(midpoint);
    }

    private static OurTree Import(Microsoft.ML.Trainers.FastTree.RegressionTree tree, double scale, MissingValueImputation imputation, int d)
    {
        var leaves = tree.LeafValues.Select(v => scale * v).ToArray();
        var nodes = tree.NumberOfNodes;
        if (nodes == 0 || leaves.All(v => v == leaves[0]))
        {
            // LightGBM's one-leaf trees reach ML.NET as a split whose two leaves are equal.
            return new OurTree([], [], [], [], [], [], [], [leaves[0]], [0]);
        }

        var features = new int[nodes];
        var thresholds = new double[nodes];
        var defaultLeft = new bool[nodes];
        for (var i = 0; i < nodes; i++)
        {
            if (tree.CategoricalSplitFlags[i])
            {
                throw new NotSupportedException("The ensemble has a categorical split; features are numeric (categoricals are coded), so none was expected.");
            }

            var k = tree.NumericalSplitFeatureIndexes[i];
            var t = tree.NumericalSplitThresholds[i];
            if (k < d)
            {
                (features[i], thresholds[i], defaultLeft[i]) = (k, Widen(t), imputation.Replacements[k] <= t);
            }
            else
            {
                // An indicator column: 0 (present) and 1 (missing) are compared with the threshold.
                (features[i], thresholds[i], defaultLeft[i]) = (imputation.IndicatedFeatures[k - d], 0f <= t ? double.MaxValue : -double.MaxValue, 1f <= t);
            }
        }

        return new OurTree(features, thresholds, defaultLeft, [.. tree.LeftChild], [.. tree.RightChild], [.. tree.SplitGains], new double[nodes], leaves, new double[nodes + 1]);
    }
}
