using ChurnFlows.Functions.Hosting;

namespace ChurnFlows.Functions.Http;

/// <summary>Declares the routes <see cref="PredictionEndpoints"/> maps, so the Functions host forwards them to the app.</summary>
public static class PredictionFunctions
{
    /// <summary>Declares <c>Predict</c>, <c>PredictBatch</c> and <c>CurrentModel</c>.</summary>
    public static FunctionTable DeclarePredictionFunctions(this FunctionTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table
            .DeclareHttp("Predict", "POST", "predict")
            .DeclareHttp("PredictBatch", "POST", "predict/batch")
            .DeclareHttp("CurrentModel", "GET", "models/current");
    }
}
