using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Trees;
using Microsoft.ML;

namespace ChurnFlows.ML.LightGbm;

/// <summary>
/// What a LightGBM fit produced: the imported <see cref="GbdtModel"/> that serving uses, and ML.NET's own model
/// (missing-value chain plus LightGBM) to save beside the artifact for users who load it with ML.NET.
/// </summary>
public sealed class LightGbmModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _mlNetModel;
    private readonly DataViewSchema _inputSchema;

    internal LightGbmModel(GbdtModel model, MissingValueImputation imputation, IReadOnlyDictionary<string, string> parameters, MLContext ml, ITransformer mlNetModel, DataViewSchema inputSchema)
    {
        Model = model;
        Imputation = imputation;
        Parameters = parameters;
        _ml = ml;
        _mlNetModel = mlNetModel;
        _inputSchema = inputSchema;
    }

    /// <summary>Gets the ensemble imported into the serving format (same scores as ML.NET's).</summary>
    public GbdtModel Model { get; }

    /// <summary>Gets how missing values were made explicit.</summary>
    public MissingValueImputation Imputation { get; }

    /// <summary>Gets the parameters sent to LightGBM, by LightGBM's names.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Gets the trees kept (after early stopping, up to the best iteration).</summary>
    public int Iterations => Model.Trees.Count;

    /// <summary>Gets the trainer's record for the artifact's lineage: LightGBM, its versions and these parameters.</summary>
    public TrainerLineage Lineage => TrainerLineage.LightGbm(Parameters);

    /// <summary>
    /// Saves ML.NET's model (<c>mlContext.Model.Save</c>) as a <c>.zip</c>: its input is a <c>Features</c> vector of
    /// single-precision values in <see cref="GbdtModel.FeatureNames"/> order, NaN for missing.
    /// </summary>
    public byte[] SaveMlNetModel()
    {
        using var stream = new MemoryStream();
        lock (_ml)
        {
            _ml.Model.Save(_mlNetModel, _inputSchema, stream);
        }

        return stream.ToArray();
    }
}
