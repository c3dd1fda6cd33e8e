using System.Collections.Concurrent;
using ChurnFlows.Durable.Client;
using ChurnFlows.Durable.Hub;
using ChurnFlows.Durable.Worker;
using ChurnFlows.Functions.Hosting;
using ChurnFlows.TestKit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ChurnFlows.Functions.Tests.Hosting;

/// <summary>Records the invocations the test trigger handlers receive.</summary>
public sealed class InvocationRecorder
{
    public ConcurrentQueue<TriggerInvocation> Invocations { get; } = new();
}

/// <summary>A trigger handler that records its invocation, logs a line, and fails when the text says so.</summary>
public sealed class RecordingHandler(InvocationRecorder recorder) : ITriggerHandler
{
    public Task HandleAsync(TriggerInvocation invocation, CancellationToken cancellationToken)
    {
        recorder.Invocations.Enqueue(invocation);
        invocation.Log($"handled {invocation.FunctionName}");
        return invocation.Queue?.Text == "fail" ? throw new InvalidOperationException("asked to fail") : Task.CompletedTask;
    }
}

/// <summary>Hosts the real app with test settings, test functions and an in-memory durable hub with test orchestrations.</summary>
public static class FunctionsApp
{
    public static WebApplicationFactory<Program> Create(IDictionary<string, string?> settings, Action<FunctionTable>? functions = null)
    {
        return new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }

            b.ConfigureServices(services =>
            {
                services.AddSingleton<InvocationRecorder>();
                if (functions is not null)
                {
                    services.ConfigureFunctions(functions);
                }

                UseInMemoryDurableTask(services);
            });
        });
    }

    /// <summary>Replaces whatever durable engine the app registers with an in-memory hub running the test orchestrations.</summary>
    private static void UseInMemoryDurableTask(IServiceCollection services)
    {
        var appHasWorker = services.Any(d => d.ServiceType == typeof(DurableTaskWorker));
        services.RemoveAll<ITaskHub>();
        services.RemoveAll<DurableTaskRegistry>();
        services.RemoveAll<DurableTaskClient>();
        services.RemoveAll<DurableTaskWorker>();
        var registry = new DurableTaskRegistry()
            .AddOrchestratorFunc<string?, string>("Echo", (context, input) => Task.FromResult($"echo:{input}"))
            .AddOrchestratorFunc<string?, string>("AwaitApproval", async (context, input) =>
            {
                context.SetCustomStatus(new { waiting = "Approve" });
                var answer = await context.WaitForExternalEvent<string>("Approve");
                return $"{input}:{answer}";
            })
            .AddOrchestratorFunc<string?, string>("Fail", (context, input) => throw new InvalidOperationException("the orchestration failed on purpose"));
        var hub = new InMemoryTaskHub();
        services.AddSingleton<ITaskHub>(hub);
        services.AddSingleton(registry);
        services.AddSingleton(new DurableTaskClient(hub));
        services.AddSingleton(sp => new DurableTaskWorker(hub, registry, new DurableTaskWorkerOptions { PollWait = TimeSpan.FromMilliseconds(50) }));
        if (!appHasWorker)
        {
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DurableTaskWorker>());
        }
    }
}

/// <summary>A class fixture hosting one app for all tests of a class, on the test run's Azurite (never on development storage's fixed ports).</summary>
public abstract class AppFixture : IAsyncLifetime
{
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Creates the app; <paramref name="storageConnectionString"/> is the setting for <c>AzureWebJobsStorage</c>.</summary>
    protected abstract WebApplicationFactory<Program> CreateFactory(string storageConnectionString);

    public async Task InitializeAsync()
    {
        Factory = CreateFactory((await AzuriteFixture.GetAsync()).ConnectionString);
        Client = Factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
