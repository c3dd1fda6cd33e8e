using System.Diagnostics.Metrics;
using ChurnFlows.Durable.Worker;
using ChurnFlows.Lifecycle.Registry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChurnFlows.Functions.Hosting;

/// <summary>
/// OpenTelemetry for the app: traces and metrics of ASP.NET Core, of the durable engine
/// (<see cref="DurableTelemetry"/>) and of serving (meter <see cref="MeterName"/>: predictions by model
/// version and stage, batch sizes). Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise
/// the app registers no collector (a span recorded per request with nowhere to send it is work for nothing on the
/// hot path), and the meters and activity sources stay readable by in-process listeners and <c>dotnet-counters</c>.
/// </summary>
public static class ChurnFlowsTelemetry
{
    /// <summary>The serving meter's name.</summary>
    public const string MeterName = "ChurnFlows.Serving";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Predictions = Meter.CreateCounter<long>("churnflows.predictions", "{prediction}", "Customers scored, by model version and route.");

    /// <summary>Counts <paramref name="count"/> customers scored by <paramref name="modelVersion"/> in <paramref name="modelStage"/> through <paramref name="route"/>.</summary>
    public static void CountPredictions(string modelVersion, ModelStage modelStage, string route, int count)
    {
        if (Predictions.Enabled)
        {
            Predictions.Add(count, new KeyValuePair<string, object?>("model_version", modelVersion), new KeyValuePair<string, object?>("model_stage", modelStage.ToString()), new KeyValuePair<string, object?>("route", route));
        }
    }

    /// <summary>Adds tracing and metrics exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured; otherwise adds nothing.</summary>
    public static WebApplicationBuilder AddChurnFlowsTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("churnflows", serviceVersion: typeof(ChurnFlowsTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource(DurableTelemetry.Name))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter(DurableTelemetry.Name, MeterName))
            .UseOtlpExporter();

        return builder;
    }
}
