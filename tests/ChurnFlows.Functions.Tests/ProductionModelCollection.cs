namespace ChurnFlows.Functions.Tests;

/// <summary>Tests that promote models share the production pointer, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ProductionModelCollection
{
    public const string Name = "production model";
}
