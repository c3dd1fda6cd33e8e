using ChurnFlows.Lifecycle.Registry;
using ChurnFlows.ML.Artifacts;
using ChurnFlows.ML.Explain;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>A loaded model ready to score: the artifact, its explainer, its request reader and the stage it serves in.</summary>
/// <param name="Artifact">The model file's content.</param>
/// <param name="Explainer">TreeSHAP over its trees.</param>
/// <param name="Reader">Reads requests in its schema.</param>
/// <param name="Stage">Production, or Staging when it answers the canary share.</param>
public sealed record ServingModel(ModelArtifact Artifact, TreeShap Explainer, CustomerRecordReader Reader, ModelStage Stage = ModelStage.Production)
{
    /// <summary>Prepares <paramref name="artifact"/> to serve in <paramref name="stage"/>.</summary>
    public static ServingModel From(ModelArtifact artifact, ModelStage stage)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return new ServingModel(artifact, new TreeShap(artifact.Model), new CustomerRecordReader(artifact.Schema, artifact.Pipeline), stage);
    }
}
