using System.Threading.RateLimiting;
using CsCheck;
using EdgeProxy.Configuration;
using EdgeProxy.Edge;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace EdgeProxy.Tests.Edge;

public sealed class NginxRateLimiterTests(ITestOutputHelper output)
{
    private static readonly string[] Rates = ["1r/s", "5r/m", "7r/m", "12r/s", "15r/s", "25r/s", "100r/s", "333r/s", "1000r/s"];
    private static readonly int[] Bursts = [0, 1, 10, 200];

    public static TheoryData<string, int> RatesAndBursts()
    {
        var data = new TheoryData<string, int>();
        foreach (var rate in Rates)
        {
            foreach (var burst in Bursts)
            {
                data.Add(rate, burst);
            }
        }

        return data;
    }

    private static RequestRate Parse(string text) =>
        ValueParsers.TryParseRate(text, out var rate, out var error) ? rate : throw new ArgumentException(error, nameof(text));

    // FakeTimeProvider counts timestamps in TimeSpan ticks, so a request's interval is Period.Ticks / Requests ticks.
    private static double IntervalTicks(RequestRate rate) => (double)rate.Period.Ticks / rate.Requests;

    private static int AcquireAtOnce(RateLimiter limiter, int count) =>
        Enumerable.Range(0, count).Count(_ => limiter.AttemptAcquire().IsAcquired);

    [Theory]
    [MemberData(nameof(RatesAndBursts))]
    public void AttemptAcquire_SteadyStreamFasterThanTheRate_AdmitsBurstPlusRateTimesWindow(string rateText, int burst)
    {
        var rate = Parse(rateText);
        var time = new FakeTimeProvider();
        var limiter = new NginxRateLimiter(rate, burst, time);
        // Sixty seconds at r/s, sixty minutes at r/m, so every rate refills at least 300 requests.
        var window = rate.Period * 60;
        var step = TimeSpan.FromTicks(Math.Max(1, (long)(IntervalTicks(rate) / 100)));

        var admitted = 0;
        for (var elapsed = TimeSpan.Zero; elapsed < window; elapsed += step)
        {
            admitted += limiter.AttemptAcquire().IsAcquired ? 1 : 0;
            time.Advance(step);
        }

        // Never above the rate. Below it only by what the stream's granularity costs: with burst 0 an admission can come
        // up to one step (1/100 of an interval) after the bucket emptied, and that wait is not credited (as in nginx),
        // so at most 1%; and the window's end cuts at most one request.
        var expected = burst + 1 + rate.Requests * (window / rate.Period);
        output.WriteLine($"{rateText} burst {burst}: {admitted} admitted in {window.TotalSeconds} s, expected {expected}");
        Assert.InRange(admitted, (int)(expected * 0.99) - 1, expected);
    }

    [Theory]
    [MemberData(nameof(RatesAndBursts))]
    public void AttemptAcquire_AllAtOnce_AdmitsExactlyBurstPlusOne(string rateText, int burst)
    {
        var limiter = new NginxRateLimiter(Parse(rateText), burst, new FakeTimeProvider());

        Assert.Equal(burst + 1, AcquireAtOnce(limiter, burst + 10));
    }

    [Theory]
    [MemberData(nameof(RatesAndBursts))]
    public void AttemptAcquire_AfterIdleLongEnoughToDrain_AdmitsTheFullBurstAgain(string rateText, int burst)
    {
        var rate = Parse(rateText);
        var time = new FakeTimeProvider();
        var limiter = new NginxRateLimiter(rate, burst, time);
        AcquireAtOnce(limiter, burst + 10);

        time.Advance(TimeSpan.FromTicks((long)Math.Ceiling((burst + 1) * IntervalTicks(rate))));

        Assert.Equal(burst + 1, AcquireAtOnce(limiter, burst + 10));
    }

    [Theory]
    [MemberData(nameof(RatesAndBursts))]
    public void AttemptAcquire_ExactlyAtTheRate_IsAlwaysAdmitted(string rateText, int burst)
    {
        var rate = Parse(rateText);
        var time = new FakeTimeProvider();
        var limiter = new NginxRateLimiter(rate, burst, time);
        // The rate's interval rounded up to the clock's resolution (100 ns).
        var interval = TimeSpan.FromTicks((long)Math.Ceiling(IntervalTicks(rate)));

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(limiter.AttemptAcquire().IsAcquired, $"request {i}");
            time.Advance(interval);
        }
    }

    [Theory]
    [InlineData("1r/s")]
    [InlineData("7r/m")]
    [InlineData("333r/s")]
    [InlineData("1000r/s")]
    public void AttemptAcquire_BurstZeroOneTickBeforeTheInterval_IsRefused(string rateText)
    {
        var rate = Parse(rateText);
        var time = new FakeTimeProvider();
        var limiter = new NginxRateLimiter(rate, 0, time);
        Assert.True(limiter.AttemptAcquire().IsAcquired);

        time.Advance(TimeSpan.FromTicks((long)Math.Ceiling(IntervalTicks(rate)) - 1));

        Assert.False(limiter.AttemptAcquire().IsAcquired);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(limiter.AttemptAcquire().IsAcquired);
    }

    [Theory]
    [InlineData("1r/m", 0, 60)]
    [InlineData("5r/m", 10, 12)]
    [InlineData("12r/s", 0, 1)]
    [InlineData("100r/s", 200, 1)]
    public void AttemptAcquire_Refused_CarriesRetryAfterInWholeSeconds(string rateText, int burst, int seconds)
    {
        var limiter = new NginxRateLimiter(Parse(rateText), burst, new FakeTimeProvider());
        AcquireAtOnce(limiter, burst + 1);

        using var lease = limiter.AttemptAcquire();

        Assert.False(lease.IsAcquired);
        Assert.True(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(seconds), retryAfter);
    }

    [Fact]
    public void IdleDuration_WhileExcessDrains_IsNullThenCountsFromTheMomentItEmptied()
    {
        // 5r/m burst 10: 11 requests at once take 11 intervals of 12 s to drain.
        var time = new FakeTimeProvider();
        var limiter = new NginxRateLimiter(Parse("5r/m"), 10, time);
        Assert.Equal(TimeSpan.Zero, limiter.IdleDuration);
        AcquireAtOnce(limiter, 11);

        time.Advance(TimeSpan.FromSeconds(131));
        Assert.Null(limiter.IdleDuration);

        time.Advance(TimeSpan.FromSeconds(1 + 10));
        Assert.Equal(TimeSpan.FromSeconds(10), limiter.IdleDuration);
    }

    [Fact]
    public void AttemptAcquire_RandomMillisecondSchedules_DecidesAsNginxExcessArithmetic()
    {
        // nginx (ngx_http_limit_req_module): excess in thousandths of a request, drained by rate × whole ms;
        // for r/s rates on whole milliseconds its integer arithmetic is exact, so every decision must match.
        var schedule = from requests in Gen.Int[1, 2000]
                       from burst in Gen.Int[0, 20]
                       from gaps in Gen.Int[0, 40].Array[1, 300]
                       select (requests, burst, gaps);

        schedule.Sample(sample =>
        {
            var (requests, burst, gaps) = sample;
            var time = new FakeTimeProvider();
            var limiter = new NginxRateLimiter(new RequestRate(requests, TimeSpan.FromSeconds(1)), burst, time);
            long? excess = null;
            long last = 0, now = 0;
            foreach (var gap in gaps)
            {
                time.Advance(TimeSpan.FromMilliseconds(gap));
                now += gap;
                bool nginx;
                if (excess is not { } previous)
                {
                    (nginx, excess, last) = (true, 0, now);
                }
                else
                {
                    var next = Math.Max(0, previous - requests * 1000L * (now - last) / 1000 + 1000);
                    nginx = next <= burst * 1000L;
                    (excess, last) = nginx ? (next, now) : (previous, last);
                }

                if (limiter.AttemptAcquire().IsAcquired != nginx)
                {
                    return false;
                }
            }

            return true;
        }, iter: 2_000);
    }
}
