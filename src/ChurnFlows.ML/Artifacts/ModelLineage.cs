namespace ChurnFlows.ML.Artifacts;

/// <summary>Where a model came from: enough to reproduce and audit it.</summary>
public sealed record ModelLineage
{
    /// <summary>Gets the SHA-256 (hex) of the training CSV's bytes.</summary>
    public string DatasetSha256 { get; init; } = string.Empty;

    /// <summary>Gets the dataset version the model was trained on.</summary>
    public string? DatasetVersion { get; init; }

    /// <summary>Gets the training hyperparameters, by name.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the version of ChurnFlows that trained the model.</summary>
    public string CodeVersion { get; init; } = typeof(ModelLineage).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>Gets the run (orchestration instance) that trained the model.</summary>
    public string? RunId { get; init; }

    /// <summary>Gets the number of training rows.</summary>
    public int TrainingRows { get; init; }
}
