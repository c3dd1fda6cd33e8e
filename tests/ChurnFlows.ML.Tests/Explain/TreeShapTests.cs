using ChurnFlows.ML.Explain;
using ChurnFlows.ML.Tests.Trees;
using ChurnFlows.ML.Trees;
using Xunit;

namespace ChurnFlows.ML.Tests.Explain;

public class TreeShapTests
{
    [Fact]
    public void Explain_TrainedModel_ContributionsSumToRawScore()
    {
        var (train, labels) = TreeTestData.Logistic(5_000, seed: 21);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 30 }).Fit(train, labels);
        var shap = new TreeShap(model);
        var row = new double[train.ColumnCount];
        var phi = new double[train.ColumnCount];

        for (var i = 0; i < 200; i++)
        {
            train.CopyRow(i, row);
            shap.Explain(row, phi);
            Assert.Equal(model.PredictRaw(row), shap.ExpectedValue + phi.Sum(), 9);
        }
    }

    [Fact]
    public void ExpectedValue_TrainedModel_EqualsMeanTrainingRawScore()
    {
        // Without bagging every training row reaches exactly one leaf, so the cover-weighted
        // mean leaf value is the mean raw score over the training rows.
        var (train, labels) = TreeTestData.Logistic(2_000, seed: 22);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 10 }).Fit(train, labels);

        var mean = model.PredictProbabilities(train).Select(p => Math.Log(p / (1 - p))).Average();

        Assert.Equal(mean, new TreeShap(model).ExpectedValue, 6);
    }

    [Fact]
    public void Explain_TinyTrees_MatchBruteForceShapleyValues()
    {
        var model = TinyModel();
        var shap = new TreeShap(model);
        double[][] rows = [[0.5, 5, 1], [2, 1, 0], [2, 9, 3], [double.NaN, 4, 1], [0.1, double.NaN, 2]];
        var phi = new double[3];

        foreach (var row in rows)
        {
            shap.Explain(row, phi);
            var expected = BruteForceShapley(model, row);
            for (var f = 0; f < 3; f++)
            {
                Assert.Equal(expected[f], phi[f], 10);
            }
        }
    }

    [Fact]
    public void TopReasons_TrainedModel_LargestAbsoluteContributionsFirst()
    {
        var (train, labels) = TreeTestData.Logistic(3_000, seed: 23);
        var model = new GbdtBinaryTrainer(new() { NumberOfIterations = 20 }).Fit(train, labels);
        var shap = new TreeShap(model);
        var row = new double[train.ColumnCount];
        train.CopyRow(5, row);
        var phi = new double[train.ColumnCount];
        shap.Explain(row, phi);

        var reasons = shap.TopReasons(row, 3);

        var expected = Enumerable.Range(0, phi.Length).OrderByDescending(f => Math.Abs(phi[f])).Take(3).ToArray();
        Assert.Equal(expected, reasons.Select(r => r.FeatureIndex));
        Assert.Equal(model.FeatureNames[expected[0]], reasons[0].Name);
        Assert.Equal(phi[expected[0]], reasons[0].Contribution);
        Assert.Equal(row[expected[0]], reasons[0].Value);
    }

    [Fact]
    public void Explain_ShortRow_ThrowsNamingTheLengths()
    {
        var shap = new TreeShap(TinyModel());

        var error = Assert.Throws<ArgumentException>(() => shap.Explain([1.0], new double[3]));

        Assert.Contains("1 values", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Two hand-built trees; the first splits on feature 0 twice on one path (exercises UnwindPath).</summary>
    internal static GbdtModel TinyModel()
    {
        // Tree 1: n0: f0 <= 1 ? n1 : n2; n1: f1 <= 3 ? L0 : L1 (missing left); n2: f0 <= 3 ? L2 : L3 (missing right).
        var first = new RegressionTree(
            splitFeatures: [0, 1, 0], thresholds: [1, 3, 3], defaultLeft: [true, true, false],
            leftChildren: [1, ~0, ~2], rightChildren: [2, ~1, ~3], splitGains: [5, 2, 1], internalCovers: [100, 60, 40],
            leafValues: [0.4, -0.2, 0.7, -0.5], leafCovers: [25, 35, 30, 10]);

        // Tree 2: n0: f2 <= 1.5 ? L0 : n1; n1: f1 <= 6 ? L1 : L2.
        var second = new RegressionTree(
            splitFeatures: [2, 1], thresholds: [1.5, 6], defaultLeft: [false, true],
            leftChildren: [~0, ~1], rightChildren: [1, ~2], splitGains: [3, 1], internalCovers: [100, 45],
            leafValues: [0.1, -0.3, 0.25], leafCovers: [55, 20, 25]);
        return new GbdtModel(["a", "b", "c"], -0.2, [first, second], 2);
    }

    private static double[] BruteForceShapley(GbdtModel model, double[] row)
    {
        const int m = 3;
        var phi = new double[m];
        for (var f = 0; f < m; f++)
        {
            for (var subset = 0; subset < 1 << m; subset++)
            {
                if ((subset & (1 << f)) != 0)
                {
                    continue;
                }

                var size = System.Numerics.BitOperations.PopCount((uint)subset);
                var weight = Factorial(size) * Factorial(m - size - 1) / Factorial(m);
                phi[f] += weight * (Conditional(model, row, subset | (1 << f)) - Conditional(model, row, subset));
            }
        }

        return phi;
    }

    /// <summary>E[f(x) | x_S] as TreeSHAP defines it: follow the row on known features, average children by cover otherwise.</summary>
    private static double Conditional(GbdtModel model, double[] row, int known)
    {
        var sum = model.InitScore;
        foreach (var tree in model.Trees)
        {
            sum += Node(tree, row, known, 0);
        }

        return sum;
    }

    private static double Node(RegressionTree tree, double[] row, int known, int node)
    {
        if (node < 0)
        {
            return tree.LeafValues[~node];
        }

        var feature = tree.SplitFeatures[node];
        if ((known & (1 << feature)) != 0)
        {
            var x = row[feature];
            var left = double.IsNaN(x) ? tree.DefaultLeft[node] : x <= tree.Thresholds[node];
            return Node(tree, row, known, left ? tree.LeftChildren[node] : tree.RightChildren[node]);
        }

        double Cover(int c) => c >= 0 ? tree.InternalCovers[c] : tree.LeafCovers[~c];
        var l = tree.LeftChildren[node];
        var r = tree.RightChildren[node];
        return ((Cover(l) * Node(tree, row, known, l)) + (Cover(r) * Node(tree, row, known, r))) / tree.InternalCovers[node];
    }

    private static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
}
