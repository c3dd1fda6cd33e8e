namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// The models serving one request, fixed for its whole length (a batch is never split across a hot swap):
/// the Production model and, while the canary is on, the newest Staging model.
/// </summary>
public sealed class ServingModels
{
    private readonly CanaryRouter _router;
    private ServingColumns? _columns;

    internal ServingModels(ServingModel production, ServingModel? staging, CanaryRouter router)
    {
        Production = production;
        Staging = staging;
        _router = router;
    }

    /// <summary>Gets the Production model.</summary>
    public ServingModel Production { get; }

    /// <summary>Gets the Staging model answering the canary share, or null when there is no canary.</summary>
    public ServingModel? Staging { get; }

    /// <summary>
    /// Whether the customer with <paramref name="productionId"/> (its id as the Production model's schema reads
    /// it, or null) is in the canary share; false, without asking the router, when there is no canary.
    /// </summary>
    public bool RoutesToStaging(string? productionId) => Staging is not null && _router.RoutesToStaging(productionId);

    /// <summary>Gets the model at <paramref name="index"/>: 0 is Production, 1 the canary's Staging model.</summary>
    internal ServingModel this[int index] => index == 0 ? Production : Staging ?? throw new ArgumentOutOfRangeException(nameof(index), "There is no Staging model.");

    /// <summary>
    /// Gets the columns these models read, laid out on first use. The router serves one instance per pair of
    /// models, so the layout is built once per pair and shared by its requests (a race only builds it twice).
    /// </summary>
    internal ServingColumns Columns => _columns ??= new ServingColumns(Staging is null ? [Production.Reader] : [Production.Reader, Staging.Reader]);
}
