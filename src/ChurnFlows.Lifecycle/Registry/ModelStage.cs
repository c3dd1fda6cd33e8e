namespace ChurnFlows.Lifecycle.Registry;

/// <summary>Where a model version stands (MLflow's stages).</summary>
public enum ModelStage
{
    /// <summary>Registered, not serving.</summary>
    None,

    /// <summary>Serving a canary share of requests.</summary>
    Staging,

    /// <summary>Serving every request (one version at a time).</summary>
    Production,

    /// <summary>Served once, replaced since.</summary>
    Archived,
}
