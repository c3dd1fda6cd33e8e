using System.Text.Json;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// The models serving one request, fixed for its whole length (a batch is never split across a hot swap):
/// the Production model and, while the canary is on, the newest Staging model.
/// </summary>
public sealed class ServingModels
{
    private readonly CanaryRouter _router;

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

    /// <summary>The model that scores <paramref name="customer"/>: Staging for the canary share of customers, Production otherwise.</summary>
    public ServingModel For(JsonElement customer) =>
        RoutesToStaging(Production.Reader.ReadId(customer)) ? Staging! : Production;
}
