namespace EdgeProxy.Configuration;

/// <summary>Names of the env properties EdgeProxy honours.</summary>
public static class EnvKeys
{
    public const string TemplateType = "TEMPLATE_TYPE";
    public const string Port = "NGX_PRXY_CLOUDCONNECT_PORT";
    public const string ExternalHostName = "NGX_PRXY_CLOUDCONNECT_HOSTNAME";
    public const string BindingIp = "PROXY_BINDING_IP";
    public const string InternalBindingIp = "PROXY_BINDING_INTERNAL_IP";
    public const string StatusPort = "NGX_PRXY_STATUS_PORT";
    public const string Publisher = "NGX_CLOUDCONNECT_HOSTNAME";
    public const string Subscriber = "NGX_CLOUDCONNECT_FAILOVER_HOSTNAME";
    public const string ClientIps = "NGX_CLOUDCONNECT_CLIENT_IPS";
    public const string LoadBalancerIps = "NGX_LOAD_BALANCER_IPS";
    public const string RealIpHeader = "NGX_LOAD_BALANCER_REAL_IP_HEADER";
    public const string TrafficRestricted = "NGX_TRAFFIC_RESTRICTED";
    public const string RateLimitExemptIps = "NGX_RATELIMIT_DISABLE_IPS";
    public const string ServerCertificate = "NGX_SSL_CRT";
    public const string ServerKey = "NGX_SSL_KEY";
    public const string TrustBundle = "NGX_PRXY_SSL_TRUST_CRT";
    public const string SslVerify = "NGX_PRXY_SSL_VERIFY";
    public const string SslVerifyDepth = "NGX_PRXY_SSL_VERIFY_DEPTH";
    public const string SslProtocols = "NGX_SSL_PROTO";
    public const string HealthCheckApi = "NGX_CLOUDCONNECT_HEALTHCHECK_API";
    public const string HealthCheckInterval = "NGX_CLOUDCONNECT_HEALTHCHECK_INTERVAL";
    public const string HealthCheckTimeout = "NGX_CLOUDCONNECT_HEALTHCHECK_TIMEOUT";
    public const string HealthCheckRise = "NGX_CLOUDCONNECT_HEALTHCHECK_RISE";
    public const string HealthCheckFall = "NGX_CLOUDCONNECT_HEALTHCHECK_FALL";
    public const string HealthCheckCodes = "NGX_CLOUDCONNECT_HEALTHCHECK_RESPONSE_CODES";
    public const string HealthCheckSslVerify = "NGX_CLOUDCONNECT_HEALTHCHECK_SSL_VERIFY";
    public const string DrRate = "NGX_CLOUDCONNECT_DR_TASK_REQUEST_RATE_LIMIT";
    public const string DrBurst = "NGX_CLOUDCONNECT_DR_TASK_REQUEST_BURST_LIMIT";
    public const string UserSyncRate = "NGX_CLOUDCONNECT_USER_SYNC_CALLBACK_REQUEST_RATE_LIMIT";
    public const string UserSyncBurst = "NGX_CLOUDCONNECT_USER_SYNC_CALLBACK_REQUEST_BURST_LIMIT";
    public const string LimitReqStatus = "NGX_CLOUDCONNECT_LIMIT_REQ_STATUS";
    public const string Http1ConnLimit = "NGX_CLOUDCONNECT_HTTP1_CONN_LIMIT";
    public const string Http2ConnLimit = "NGX_CLOUDCONNECT_HTTP2_CONN_LIMIT";
    public const string UpstreamKeepalive = "NGX_CLOUDCONNECT_UPSTREAM_KEEPALIVE";
    public const string MaxBodySize = "NGX_CLIENT_MAX_BODY_SIZE";
    public const string ClientHeaderTimeout = "NGX_CLIENT_HEADER_TIMEOUT";
    public const string ClientBodyTimeout = "NGX_CLIENT_BODY_TIMEOUT";
    public const string KeepaliveTimeout = "NGX_KEEPALIVE_TIMEOUT";
    public const string KeepaliveRequests = "NGX_KEEPALIVE_REQUESTS";
    public const string Http2MaxStreams = "NGX_HTTP2_MAX_CONCURRENT_STREAMS";
    public const string LogLevel = "NGX_ERR_LOG_LEVEL";
    public const string UpstreamClientCertificate = "EDGEPROXY_UPSTREAM_CLIENT_CRT";
    public const string UpstreamClientKey = "EDGEPROXY_UPSTREAM_CLIENT_KEY";
    public const string DrPaths = "EDGEPROXY_DR_PATHS";
    public const string DataConnPaths = "EDGEPROXY_DATACONN_PATHS";
    public const string BlockedPaths = "EDGEPROXY_BLOCKED_PATHS";
    public const string TrackingHeader = "EDGEPROXY_TRACKING_HEADER";
    public const string LogFormat = "EDGEPROXY_LOG_FORMAT";
    public const string Environment = "EDGEPROXY_ENVIRONMENT";
}
