using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Trees;
using Microsoft.ML;

namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// What a LightGBM fit produced: the imported <see cref="GbdtModel"/> that serving uses, and ML.NET's own model
/// (missing-value chain plus LightGBM) to save beside the artifact for users who load it with ML.NET. Thread-safe.
/// </summary>
public sealed class LightGbmModel
{
    private readonly Lazy<GbdtModel> _model;
    private readonly MlNetModel _mlNet;

    internal LightGbmModel(GbdtModel scoring, LightGbmTrainingData data, IReadOnlyDictionary<string, string> parameters, int threads, MlNetModel mlNet)
    {
        ScoringModel = scoring;
        Imputation = data.Imputation;
        Parameters = parameters;
        _mlNet = mlNet;
        _model = new Lazy<GbdtModel>(() => EnsembleImport.WithCovers(scoring, data.Train, threads));
    }

    /// <summary>
    /// Gets the ensemble imported into the serving format (same scores as ML.NET's), with TreeSHAP's covers: counted
    /// over the training rows on first use (about a second for 500 trees on 100k rows), since tuning trials only score.
    /// </summary>
    public GbdtModel Model => _model.Value;

    /// <summary>Gets how missing values were made explicit.</summary>
    public MissingValueImputation Imputation { get; }

    /// <summary>Gets the parameters sent to LightGBM, by LightGBM's names.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Gets the trees kept (after early stopping, up to the best iteration).</summary>
    public int Iterations => ScoringModel.Trees.Count;

    /// <summary>Gets the trainer's record for the artifact's lineage: LightGBM, its versions and these parameters.</summary>
    public TrainerLineage Lineage => TrainerLineage.LightGbm(Parameters);

    /// <summary>Gets the imported ensemble without covers: the same scores as <see cref="Model"/>, not for TreeSHAP.</summary>
    internal GbdtModel ScoringModel { get; }

    /// <summary>Returns the probabilities of the positive class for <paramref name="features"/> (as <see cref="Model"/> would, without counting covers).</summary>
    public double[] PredictProbabilities(Data.FeatureMatrix features) => ScoringModel.PredictProbabilities(features);

    /// <summary>
    /// Saves ML.NET's model (<c>mlContext.Model.Save</c>) as a <c>.zip</c>: its input is a <c>Features</c> vector of
    /// single-precision values in <see cref="GbdtModel.FeatureNames"/> order, NaN for missing.
    /// </summary>
    public byte[] SaveMlNetModel() => _mlNet.Save();
}

/// <summary>ML.NET's model with the context and input schema it is saved with.</summary>
internal sealed class MlNetModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema)
{
    public byte[] Save()
    {
        using var stream = new MemoryStream();

        // An MLContext is not documented as thread-safe; saves of one model may come from several threads.
        lock (ml)
        {
            ml.Model.Save(transformer, inputSchema, stream);
        }

        return stream.ToArray();
    }
}
