namespace ChurnFlows.Lifecycle.Serving;

/// <summary>One customer of a batch, read: its id (if given) and its inputs in the pipeline's order.</summary>
/// <param name="Id">The customer id, or null.</param>
/// <param name="Inputs">The input values, as <see cref="ML.Features.FeaturePipeline.TransformRow"/> takes them.</param>
public sealed record CustomerInputs(string? Id, double[] Inputs);
