using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// Counts the rows reaching every node of a tree: TreeSHAP's covers, which ML.NET's public tree API does not carry
/// (LightGBM's own are its in-bag counts; these are every training row's, so explanations weigh the whole training set).
/// </summary>
internal static class TreeCovers
{
    public static (double[] Internal, double[] Leaves) Count(int[] features, double[] thresholds, bool[] defaultLeft, int[] left, int[] right, FeatureMatrix rows)
    {
        var nodes = features.Length;
        var internalCovers = new double[nodes];
        var leafCovers = new double[nodes + 1];
        for (var row = 0; row < rows.RowCount; row++)
        {
            var node = 0;
            while (node >= 0)
            {
                internalCovers[node]++;
                var x = rows[row, features[node]];
                var goLeft = double.IsNaN(x) ? defaultLeft[node] : x <= thresholds[node];
                node = goLeft ? left[node] : right[node];
            }

            leafCovers[~node]++;
        }

        return (internalCovers, leafCovers);
    }
}
