namespace ChurnFlows.ML.Features;

/// <summary>The engineered churn features, each added only when the schema has its inputs.</summary>
internal static class EngineeredChurnFeatures
{
    private static readonly FeatureDefinition[] All =
    [
        new("purchases_per_month", FeatureOperation.RatePerUnit, "total_purchases", "customer_lifetime_months"),
        new("spend_per_purchase", FeatureOperation.Ratio, "total_spent", "total_purchases"),
        new("spend_per_month", FeatureOperation.RatePerUnit, "total_spent", "customer_lifetime_months"),
        new("email_open_rate", FeatureOperation.Ratio, "emails_opened", "emails_sent"),
        new("tickets_per_month", FeatureOperation.RatePerUnit, "support_tickets", "customer_lifetime_months"),
        new("tickets_x_resolution_time", FeatureOperation.Product, "support_tickets", "support_resolution_time"),
        new("no_login_30_days", FeatureOperation.DaysBeforeExceeds, "last_login_date", Constant: 30),
        new("no_purchase_90_days", FeatureOperation.DaysBeforeExceeds, "last_purchase_date", Constant: 90),
    ];

    public static IEnumerable<FeatureDefinition> For(IReadOnlyList<string> inputs) =>
        All.Where(f => inputs.Contains(f.A) && (f.B is null || inputs.Contains(f.B)));
}
