using System.Runtime.InteropServices;
using System.Text;
using ChurnFlows.ML.Data;
using ChurnFlows.ML.Features;

namespace ChurnFlows.Lifecycle.Training;

/// <summary>One part of a split: which silver rows it holds, their labels and their features.</summary>
/// <param name="Rows">Row indices into the silver dataset.</param>
/// <param name="Labels">The labels (1 = churned).</param>
/// <param name="Features">The transformed features.</param>
public sealed record GoldPart(int[] Rows, float[] Labels, FeatureMatrix Features);

/// <summary>
/// A silver dataset prepared for training: the stratified split and the feature matrices of each part,
/// written once to <c>churn-gold</c> so every tuning trial reads the same bytes instead of re-deriving them.
/// </summary>
/// <param name="Train">The training part.</param>
/// <param name="Validation">The validation part (early stopping, pruning, threshold).</param>
/// <param name="Test">The holdout (final evaluation of candidate and champion).</param>
public sealed record GoldDataset(GoldPart Train, GoldPart Validation, GoldPart Test)
{
    private static readonly byte[] Magic = "CFGOLD01"u8.ToArray();

    /// <summary>
    /// Splits <paramref name="data"/> (stratified 70/15/15 with <paramref name="seed"/>), fits the feature
    /// pipeline on the training part and transforms every part. Deterministic for a seed.
    /// </summary>
    public static (GoldDataset Gold, FeaturePipeline Pipeline) Prepare(TabularDataset data, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var split = DatasetSplit.Stratified(data.Labels, seed);
        var pipeline = FeaturePipeline.Fit(data.SelectRows(split.Train));
        GoldPart Part(int[] rows)
        {
            var subset = data.SelectRows(rows);
            return new GoldPart(rows, subset.Labels, pipeline.Transform(subset));
        }

        return (new GoldDataset(Part(split.Train), Part(split.Validation), Part(split.Test)), pipeline);
    }

    /// <summary>Writes the dataset in its binary form.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            var names = Train.Features.FeatureNames;
            w.Write(names.Count);
            foreach (var n in names)
            {
                w.Write(n);
            }

            foreach (var part in new[] { Train, Validation, Test })
            {
                w.Write(part.Rows.Length);
                w.Write(MemoryMarshal.AsBytes(part.Rows.AsSpan()));
                w.Write(MemoryMarshal.AsBytes(part.Labels.AsSpan()));
                for (var c = 0; c < names.Count; c++)
                {
                    w.Write(MemoryMarshal.AsBytes(part.Features.Column(c)));
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads the binary form.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a gold dataset, or are truncated.</exception>
    public static GoldDataset FromBytes(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var stream = MemoryMarshal.TryGetArray(bytes, out var segment) ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false) : new MemoryStream(bytes.ToArray());
            using var r = new BinaryReader(stream, Encoding.UTF8);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("The blob is not a ChurnFlows gold dataset (bad header).");
            }

            var names = new string[r.ReadInt32()];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = r.ReadString();
            }

            return new GoldDataset(ReadPart(r, names), ReadPart(r, names), ReadPart(r, names));
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The gold dataset is truncated.", e);
        }
    }

    private static GoldPart ReadPart(BinaryReader r, string[] names)
    {
        var n = r.ReadInt32();
        var rows = MemoryMarshal.Cast<byte, int>(Exactly(r, n * sizeof(int))).ToArray();
        var labels = MemoryMarshal.Cast<byte, float>(Exactly(r, n * sizeof(float))).ToArray();
        var columns = new double[names.Length][];
        for (var c = 0; c < names.Length; c++)
        {
            columns[c] = MemoryMarshal.Cast<byte, double>(Exactly(r, n * sizeof(double))).ToArray();
        }

        return new GoldPart(rows, labels, new FeatureMatrix(names, columns));
    }

    private static byte[] Exactly(BinaryReader r, int count)
    {
        var bytes = r.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new EndOfStreamException();
    }
}
