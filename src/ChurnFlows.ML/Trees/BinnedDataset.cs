using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Trees;

/// <summary>
/// A feature matrix quantized to one byte per value (column-major), with the per-feature
/// <see cref="BinMapper"/>s and each feature's offset into a leaf histogram.
/// </summary>
internal sealed class BinnedDataset
{
    /// <summary>LightGBM's <c>bin_construct_sample_cnt</c>: rows sampled to find bin bounds.</summary>
    public const int BinSampleCount = 200_000;

    /// <summary>LightGBM's <c>min_data_in_bin</c>.</summary>
    public const int MinDataInBin = 3;

    private BinnedDataset(BinMapper[] mappers, byte[][] bins, int rowCount)
    {
        Mappers = mappers;
        Bins = bins;
        RowCount = rowCount;
        HistogramOffsets = new int[mappers.Length + 1];
        for (var f = 0; f < mappers.Length; f++)
        {
            HistogramOffsets[f + 1] = HistogramOffsets[f] + mappers[f].BinCount;
        }
    }

    /// <summary>Gets one bin mapper per feature.</summary>
    public BinMapper[] Mappers { get; }

    /// <summary>Gets the bins, one array per feature.</summary>
    public byte[][] Bins { get; }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Gets the number of features.</summary>
    public int FeatureCount => Mappers.Length;

    /// <summary>Gets, per feature, the first bin's index in a histogram; the last entry is the total bin count.</summary>
    public int[] HistogramOffsets { get; }

    /// <summary>Gets the bins row by row (<c>RowMajorBins[row · FeatureCount + f]</c>), transposed on first use.</summary>
    public byte[] RowMajorBins => _rowMajor ??= Transpose();

    /// <summary>Gets the total number of bins over all features.</summary>
    public int TotalBins => HistogramOffsets[^1];

    /// <summary>Finds bin bounds on (a seeded sample of) the matrix and bins every value.</summary>
    public static BinnedDataset Create(FeatureMatrix features, int maxValueBins, int seed, ParallelOptions parallel)
    {
        var rows = features.RowCount;
        var sampleRows = SampleRows(rows, seed);
        var mappers = new BinMapper[features.ColumnCount];
        var bins = new byte[features.ColumnCount][];
        Parallel.For(0, features.ColumnCount, parallel, f =>
        {
            var column = features.Column(f);
            BinMapper mapper;
            if (sampleRows is null)
            {
                mapper = BinMapper.Fit(column, maxValueBins, MinDataInBin);
            }
            else
            {
                var sample = new double[sampleRows.Length];
                for (var i = 0; i < sampleRows.Length; i++)
                {
                    sample[i] = column[sampleRows[i]];
                }

                mapper = BinMapper.Fit(sample, maxValueBins, MinDataInBin);
            }

            mappers[f] = mapper;
            bins[f] = mapper.BinAll(column);
        });
        return new BinnedDataset(mappers, bins, rows);
    }

    /// <summary>Bins another matrix (e.g. a validation set) with this dataset's bounds.</summary>
    public BinnedDataset Apply(FeatureMatrix features, ParallelOptions parallel)
    {
        var bins = new byte[Mappers.Length][];
        Parallel.For(0, Mappers.Length, parallel, f => bins[f] = Mappers[f].BinAll(features.Column(f)));
        return new BinnedDataset(Mappers, bins, features.RowCount);
    }

    private byte[]? _rowMajor;

    private byte[] Transpose()
    {
        var features = FeatureCount;
        var result = new byte[(long)RowCount * features];
        for (var f = 0; f < features; f++)
        {
            var column = Bins[f];
            for (var row = 0; row < column.Length; row++)
            {
                result[((long)row * features) + f] = column[row];
            }
        }

        return result;
    }

    private static int[]? SampleRows(int rows, int seed)
    {
        if (rows <= BinSampleCount)
        {
            return null;
        }

        // Selection sampling (Knuth's algorithm S): exactly BinSampleCount rows, in row order.
        var random = new Random(unchecked(seed + 1));
        var result = new int[BinSampleCount];
        var chosen = 0;
        for (var i = 0; i < rows && chosen < BinSampleCount; i++)
        {
            if (random.NextDouble() * (rows - i) < BinSampleCount - chosen)
            {
                result[chosen++] = i;
            }
        }

        return result;
    }
}
