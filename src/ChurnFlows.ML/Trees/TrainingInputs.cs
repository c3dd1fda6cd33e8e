using ChurnFlows.ML.Data;

namespace ChurnFlows.ML.Trees;

/// <summary>Checks a trainer's inputs and names the first problem.</summary>
internal static class TrainingInputs
{
    public static void Check(
        FeatureMatrix features, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights,
        FeatureMatrix? validationFeatures, ReadOnlySpan<float> validationLabels, int earlyStoppingRounds)
    {
        if (features.RowCount == 0)
        {
            throw new ArgumentException("The training matrix has no rows.", nameof(features));
        }

        if (features.ColumnCount == 0)
        {
            throw new ArgumentException("The training matrix has no feature columns.", nameof(features));
        }

        CheckLabels(labels, features.RowCount, "labels");
        if (!weights.IsEmpty)
        {
            if (weights.Length != features.RowCount)
            {
                throw new ArgumentException($"There are {weights.Length} weights for {features.RowCount} rows.", nameof(weights));
            }

            for (var i = 0; i < weights.Length; i++)
            {
                if (!(weights[i] >= 0) || !float.IsFinite(weights[i]))
                {
                    throw new ArgumentException($"weights[{i}] is {weights[i]}; weights must be finite and ≥ 0.", nameof(weights));
                }
            }
        }

        if (validationFeatures is null)
        {
            if (earlyStoppingRounds > 0)
            {
                throw new ArgumentException("EarlyStoppingRounds is set but no validation set was given.", nameof(validationFeatures));
            }

            return;
        }

        if (validationFeatures.ColumnCount != features.ColumnCount)
        {
            throw new ArgumentException(
                $"The validation matrix has {validationFeatures.ColumnCount} columns; the training matrix has {features.ColumnCount}.", nameof(validationFeatures));
        }

        for (var j = 0; j < features.ColumnCount; j++)
        {
            if (!string.Equals(features.FeatureNames[j], validationFeatures.FeatureNames[j], StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Validation column {j} is '{validationFeatures.FeatureNames[j]}'; the training column is '{features.FeatureNames[j]}'.", nameof(validationFeatures));
            }
        }

        CheckLabels(validationLabels, validationFeatures.RowCount, "validationLabels");
    }

    public static void CheckLabels(ReadOnlySpan<float> labels, int rows, string name)
    {
        if (labels.Length != rows)
        {
            throw new ArgumentException($"There are {labels.Length} {name} for {rows} rows.", name);
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0f or 1f))
            {
                throw new ArgumentException($"{name}[{i}] is {labels[i]}; binary labels must be 0 or 1.", name);
            }
        }
    }
}
