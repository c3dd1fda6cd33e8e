namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// The customers of one batch request, read and routed, waiting to be scored together: for each row, the
/// model it was routed to (Production or the canary's Staging model), its id, and its features, kept
/// row-major per model so <see cref="PredictionService.PredictBatch(CustomerBatch, PredictionLogger?, bool)"/>
/// scores each model's rows in one blocked pass. Built by the JSON and CSV batch readers.
/// </summary>
public sealed class CustomerBatch
{
    private readonly ServingModel[] _models;
    private readonly double[][] _features;
    private readonly int[] _counts;
    private string?[] _ids;
    private byte[] _routes;
    private int[] _positions;

    /// <summary>Creates an empty batch for <paramref name="models"/>, sized for about <paramref name="capacity"/> rows.</summary>
    public CustomerBatch(ServingModels models, int capacity = 16)
    {
        ArgumentNullException.ThrowIfNull(models);
        _models = models.Staging is { } staging ? [models.Production, staging] : [models.Production];
        capacity = Math.Max(1, capacity);
        _features = [.. _models.Select(m => new double[capacity * m.Artifact.Pipeline.Features.Count])];
        _counts = new int[_models.Length];
        _ids = new string?[capacity];
        _routes = new byte[capacity];
        _positions = new int[capacity];
    }

    /// <summary>Gets how many rows were added.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the models rows are routed to: index 0 is Production, 1 (when present) the canary's Staging model.</summary>
    internal IReadOnlyList<ServingModel> Models => _models;

    /// <summary>Adds a row for <paramref name="model"/>: computes its features from <paramref name="inputs"/> (in that model's input order).</summary>
    internal void Add(int model, string? id, ReadOnlySpan<double> inputs)
    {
        if (Count == _ids.Length)
        {
            Array.Resize(ref _ids, Count * 2);
            Array.Resize(ref _routes, Count * 2);
            Array.Resize(ref _positions, Count * 2);
        }

        var pipeline = _models[model].Artifact.Pipeline;
        var width = pipeline.Features.Count;
        var position = _counts[model]++;
        if ((position + 1) * width > _features[model].Length)
        {
            Array.Resize(ref _features[model], Math.Max(width, _features[model].Length * 2));
        }

        pipeline.TransformRow(inputs, _features[model].AsSpan(position * width, width));
        _ids[Count] = id;
        _routes[Count] = (byte)model;
        _positions[Count] = position;
        Count++;
    }

    /// <summary>How many rows are routed to <paramref name="model"/>.</summary>
    internal int RowsOf(int model) => _counts[model];

    /// <summary>The features of model <paramref name="model"/>'s rows, row after row.</summary>
    internal ReadOnlySpan<double> FeaturesOf(int model) => _features[model].AsSpan(0, _counts[model] * _models[model].Artifact.Pipeline.Features.Count);

    /// <summary>Row <paramref name="row"/>'s model, its position among that model's rows, and its id.</summary>
    internal (int Model, int Position, string? Id) Row(int row) => (_routes[row], _positions[row], _ids[row]);
}
