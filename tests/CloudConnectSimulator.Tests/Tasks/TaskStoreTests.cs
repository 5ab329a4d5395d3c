using CloudConnectSimulator.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace CloudConnectSimulator.Tests.Tasks;

public sealed class TaskStoreTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public void ChangedSince_MoreThanOnePage_PagesByCursor()
    {
        var store = new TaskStore(new Dictionary<string, int>(), TimeSpan.FromMinutes(15), _clock);
        for (var i = 0; i < TaskStore.PageSize + 20; i++)
        {
            Assert.NotNull(store.TryCreate(new CreateTaskRequest("chat", null, null, null)));
        }

        var first = store.ChangedSince(0);
        var second = store.ChangedSince(first[^1].Seq);

        Assert.Equal(TaskStore.PageSize, first.Count);
        Assert.Equal(20, second.Count);
        Assert.Equal(Enumerable.Range(1, TaskStore.PageSize + 20).Select(i => (long)i), first.Concat(second).Select(t => t.Seq));
    }

    [Fact]
    public void TryCreate_ZeroLimit_AlwaysRefused()
    {
        var store = new TaskStore(new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["sms"] = 0 }, TimeSpan.FromMinutes(15), _clock);

        Assert.Null(store.TryCreate(new CreateTaskRequest("SMS", null, null, null)));
        Assert.NotNull(store.TryCreate(new CreateTaskRequest("voice", null, null, null))); // unlisted media types have no limit
    }

    [Fact]
    public void Clear_AfterTasks_ForgetsTasksButKeepsSequenceGoing()
    {
        var store = new TaskStore(new Dictionary<string, int>(), TimeSpan.FromMinutes(15), _clock);
        store.TryCreate(new CreateTaskRequest("chat", null, null, null));

        store.Clear();
        var next = store.TryCreate(new CreateTaskRequest("chat", null, null, null));

        Assert.Equal(2, next!.Seq);
        Assert.Equal(1, store.OpenCount);
        Assert.Single(store.ChangedSince(0));
    }

    [Fact]
    public void Close_ZeroRetention_ForgottenAtOnce()
    {
        var store = new TaskStore(new Dictionary<string, int>(), TimeSpan.Zero, _clock);
        var task = store.TryCreate(new CreateTaskRequest("chat", null, null, null))!;

        Assert.NotNull(store.Close(Guid.Parse(task.Id)));
        Assert.Null(store.Get(Guid.Parse(task.Id)));
        Assert.Equal(0, store.OpenCount);
    }
}
