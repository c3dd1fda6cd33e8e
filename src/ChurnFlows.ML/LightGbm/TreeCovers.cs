using ChurnFlows.ML.Data;
using ChurnFlows.ML.Trees;

namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// Counts the rows reaching every node of a tree: TreeSHAP's covers, which ML.NET's public tree API does not carry
/// (LightGBM's own are its in-bag counts; these are every training row's, so explanations weigh the whole training set).
/// </summary>
internal static class TreeCovers
{
    public static (double[] Internal, double[] Leaves) Count(RegressionTree tree, FeatureMatrix rows)
    {
        var nodes = tree.SplitFeatures.Count;
        var internalCovers = new double[nodes];
        var leafCovers = new double[nodes + 1];
        if (nodes == 0)
        {
            leafCovers[0] = rows.RowCount;
            return (internalCovers, leafCovers);
        }

        // Rows are partitioned node by node (children have higher indices than their parent), each split reading one column.
        var order = new int[rows.RowCount];
        var scratch = new int[rows.RowCount];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var ranges = new (int Start, int Count)[nodes];
        ranges[0] = (0, order.Length);
        for (var node = 0; node < nodes; node++)
        {
            var (start, count) = ranges[node];
            internalCovers[node] = count;
            var column = rows.Column(tree.SplitFeatures[node]);
            var threshold = tree.Thresholds[node];
            var missingLeft = tree.DefaultLeft[node];
            int left = 0, right = 0;
            for (var i = start; i < start + count; i++)
            {
                var row = order[i];
                var x = column[row];
                if (double.IsNaN(x) ? missingLeft : x <= threshold)
                {
                    order[start + left++] = row;
                }
                else
                {
                    scratch[right++] = row;
                }
            }

            scratch.AsSpan(0, right).CopyTo(order.AsSpan(start + left));
            Place(tree.LeftChildren[node], (start, left), ranges, leafCovers);
            Place(tree.RightChildren[node], (start + left, right), ranges, leafCovers);
        }

        return (internalCovers, leafCovers);
    }

    private static void Place(int child, (int Start, int Count) range, (int Start, int Count)[] ranges, double[] leafCovers)
    {
        if (child >= 0)
        {
            ranges[child] = range;
        }
        else
        {
            leafCovers[~child] = range.Count;
        }
    }
}
