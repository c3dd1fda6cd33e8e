using ChurnFlows.ML.Data;
using ChurnFlows.ML.Trees;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// Trains the churn GBDT with LightGBM through ML.NET (<see cref="LightGbmBinaryTrainer"/>) and imports the ensemble
/// into a <see cref="GbdtModel"/>, whose compiled predictor and TreeSHAP serve it with ML.NET's own scores. Missing
/// values are made explicit first (<see cref="MissingValueImputation"/>); the ML.NET model, that chain included, is
/// kept for saving beside the artifact.
/// </summary>
/// <remarks>
/// <para>
/// One fit at a time per process: ML.NET holds a process-wide lock (<c>LightGbmShared.LockForMultiThreadingInside</c>,
/// taken around the native training loop and around pushing rows into LightGBM's dataset, and a second one around
/// its bin sampling), so fits started in parallel wait for each other (a test holds that lock and watches a fit wait).
/// Parallel trials therefore come from more processes, each fit using <see cref="Options.NumberOfThreads"/> cores.
/// </para>
/// <para>Deterministic: the same data, options and seed give the same trees on any thread count.</para>
/// </remarks>
public sealed partial class LightGbmTreeTrainer
{
    private readonly Options _options;

    /// <summary>Creates a trainer with the given hyperparameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public LightGbmTreeTrainer(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Prepares training (and validation) rows for one or more fits: fits the missing-value chain once.</summary>
    /// <param name="features">The training rows (NaN = missing).</param>
    /// <param name="labels">One 0/1 label per row.</param>
    /// <param name="validationFeatures">Optional validation rows (needed for early stopping).</param>
    /// <param name="validationLabels">The validation rows' labels.</param>
    /// <exception cref="ArgumentException">Labels do not match the rows or are not 0/1, or the validation set does not match.</exception>
    public static LightGbmTrainingData Prepare(FeatureMatrix features, ReadOnlySpan<float> labels, FeatureMatrix? validationFeatures = null, ReadOnlySpan<float> validationLabels = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        TrainingInputs.Check(features, labels, default, validationFeatures, validationLabels, 0);
        return new LightGbmTrainingData(features, labels.ToArray(), validationFeatures, validationFeatures is null ? null : validationLabels.ToArray());
    }

    /// <summary>Prepares the rows and trains (see <see cref="Prepare"/>).</summary>
    public LightGbmModel Fit(FeatureMatrix features, ReadOnlySpan<float> labels, FeatureMatrix? validationFeatures = null, ReadOnlySpan<float> validationLabels = default) =>
        Fit(Prepare(features, labels, validationFeatures, validationLabels));

    /// <summary>Trains on prepared rows; with a validation set, early stopping (if set) watches its log loss.</summary>
    /// <exception cref="ArgumentException">Early stopping is set but the data has no validation set.</exception>
    public LightGbmModel Fit(LightGbmTrainingData data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.ValidationView is null && _options.EarlyStoppingRounds > 0)
        {
            throw new ArgumentException("EarlyStoppingRounds is set but the data has no validation set.", nameof(data));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var validation = data.ValidationView is not null;
        var ml = new MLContext(seed: _options.Seed);
        var trainer = ml.BinaryClassification.Trainers.LightGbm(_options.ToMlNet(validation));
        var fitted = trainer.Fit(data.TrainView, data.ValidationView);
        var scoring = EnsembleImport.ToGbdtModel(fitted.Model.SubModel.TrainedTreeEnsemble, fitted.Model.Calibrator, data.Imputation, data.Train.FeatureNames);
        var chain = new TransformerChain<ITransformer>(data.Imputer, fitted);
        return new LightGbmModel(scoring, data, _options.ToLightGbmParameters(validation), _options.NumberOfThreads, new MlNetModel(ml, chain, data.RawSchema));
    }
}
