using System.Numerics;

namespace ChurnFlows.ML.Explain;

/// <content>Tabulating leaves: per-subset weights v·P(A), contribution vectors, and sibling pairs.</content>
internal sealed partial class PathWeightTables
{
    private sealed partial class Builder
    {
        private void AddLeaf(ulong features, double[] zero, List<int> globalOf, double value, int maskIndex)
        {
            var d = zero.Length;
            Leaves.Add(new Leaf(features, maskIndex, Weights.Count, Slots.Count, d, 0, 0));
            AddSlots(features, zero, globalOf);

            Span<double> weights = stackalloc double[1 << d];
            WeightsOf(zero, value, weights);
            if (d > vectorPathFeatures)
            {
                Weights.AddRange(weights);
                return;
            }

            // Contribution vectors: per agreement pattern, what the leaf adds to each of its path features.
            for (var agree = 0; agree < 1 << d; agree++)
            {
                for (var s = 0; s < d; s++)
                {
                    Weights.Add(Contribution(zero, weights, agree, s));
                }
            }
        }

        /// <summary>
        /// Two sibling leaves under a split on tree-local feature <paramref name="splitBit"/>: rows indexed by the left
        /// leaf's agreement pattern and whether the row agrees with the right leaf on the split feature, each holding
        /// the sum of both leaves' contributions.
        /// </summary>
        private void AddPair(
            (ulong Features, double[] Zero) left, (ulong Features, double[] Zero) right, int splitBit, List<int> globalOf,
            double leftValue, double rightValue, int leftMask, int rightMask)
        {
            var d = left.Zero.Length;
            Leaves.Add(new Leaf(left.Features, leftMask, Weights.Count, Slots.Count, d, rightMask, splitBit));
            AddSlots(left.Features, left.Zero, globalOf);
            Span<double> leftWeights = stackalloc double[1 << d];
            Span<double> rightWeights = stackalloc double[1 << d];
            WeightsOf(left.Zero, leftValue, leftWeights);
            WeightsOf(right.Zero, rightValue, rightWeights);
            var splitSlot = BitOperations.PopCount(left.Features & ((1UL << splitBit) - 1));
            for (var agree = 0; agree < 1 << d; agree++)
            {
                for (var rightAgrees = 0; rightAgrees < 2; rightAgrees++)
                {
                    var rightAgree = (agree & ~(1 << splitSlot)) | (rightAgrees << splitSlot);
                    for (var s = 0; s < d; s++)
                    {
                        Weights.Add(Contribution(left.Zero, leftWeights, agree, s) + Contribution(right.Zero, rightWeights, rightAgree, s));
                    }
                }
            }
        }

        private void AddSlots(ulong features, double[] zero, List<int> globalOf)
        {
            var bits = features;
            for (var s = 0; s < zero.Length; s++)
            {
                Slots.Add(new Slot(-1.0, (1.0 - zero[s]) / zero[s], globalOf[BitOperations.TrailingZeroCount(bits)]));
                bits &= bits - 1;
            }
        }

        /// <summary>What a leaf adds to path feature <paramref name="slot"/> for agreement pattern <paramref name="agree"/>, from its weights v·P.</summary>
        private static double Contribution(double[] zero, ReadOnlySpan<double> weights, int agree, int slot) =>
            (agree & (1 << slot)) != 0 ? (1.0 - zero[slot]) / zero[slot] * weights[agree & ~(1 << slot)] : -weights[agree];

        /// <summary>v·P(A) for every subset A of the path features (bit s = feature s).</summary>
        private static void WeightsOf(double[] zero, double value, Span<double> weights)
        {
            var d = zero.Length;
            Span<double> elementary = stackalloc double[MaxPathFeatures + 1];
            for (var agree = 0; agree < weights.Length; agree++)
            {
                // P(A) = Π_{k∉A} z_k · Σ_s w(s, d) · e_{|A|−s}(z_A), e = elementary symmetric polynomials.
                elementary.Clear();
                elementary[0] = 1;
                var size = 0;
                var outside = 1.0;
                for (var s = 0; s < d; s++)
                {
                    if ((agree & (1 << s)) == 0)
                    {
                        outside *= zero[s];
                        continue;
                    }

                    size++;
                    for (var k = size; k >= 1; k--)
                    {
                        elementary[k] += zero[s] * elementary[k - 1];
                    }
                }

                double sum = 0;
                for (var s = 0; s <= Math.Min(size, d - 1); s++)
                {
                    sum += ShapleyWeight(s, d) * elementary[size - s];
                }

                weights[agree] = value * outside * sum;
            }
        }
    }
}
