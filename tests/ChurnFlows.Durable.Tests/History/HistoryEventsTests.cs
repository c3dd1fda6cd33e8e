using System.Text.Json;
using ChurnFlows.Durable.History;
using Xunit;

namespace ChurnFlows.Durable.Tests.History;

public class HistoryEventsTests
{
    [Fact]
    public void HistoryEvent_EveryType_RoundTripsThroughJsonWithItsDiscriminator()
    {
        var t = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var failure = new TaskFailureDetails("System.InvalidOperationException", "boom", "at x", new TaskFailureDetails("Inner", "cause"));
        HistoryEvent[] events =
        [
            new OrchestratorStartedEvent(t),
            new ExecutionStartedEvent(t, "Retrain", "i1", "e1", "{\"a\":1}", new ParentInstance("p", 3), t.AddHours(1)),
            new TaskScheduledEvent(0, t, "Train", "\"x\""),
            new TaskCompletedEvent(t, 0, "42"),
            new TaskFailedEvent(t, 1, failure),
            new TimerCreatedEvent(2, t, t.AddDays(8)),
            new TimerFiredEvent(t, 2, t.AddDays(8)),
            new SubOrchestrationInstanceCreatedEvent(3, t, "Tune", "i1:0003", null),
            new SubOrchestrationInstanceCompletedEvent(t, 3, "1"),
            new SubOrchestrationInstanceFailedEvent(t, 3, failure),
            new EventRaisedEvent(t, "approve", "true"),
            new EventSentEvent(4, t, "other", "ping", null),
            new ExecutionSuspendedEvent(t, "maintenance"),
            new ExecutionResumedEvent(t, null),
            new ContinueAsNewEvent(t, "5"),
            new ExecutionTerminatedEvent(t, "\"stop\""),
            new ExecutionCompletedEvent(t, OrchestrationRuntimeStatus.Failed, null, failure),
            new OrchestratorCompletedEvent(t),
        ];

        var json = JsonSerializer.Serialize(events);
        var back = JsonSerializer.Deserialize<HistoryEvent[]>(json)!;

        Assert.Contains("\"type\":\"TaskScheduled\"", json, StringComparison.Ordinal);
        Assert.Equal(events.Length, back.Length);
        for (var i = 0; i < events.Length; i++)
        {
            Assert.Equal(events[i].GetType(), back[i].GetType());
            Assert.Equal(JsonSerializer.Serialize(events[i]), JsonSerializer.Serialize(back[i]));
        }
    }
}
