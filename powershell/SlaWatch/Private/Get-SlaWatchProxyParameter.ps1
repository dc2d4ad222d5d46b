function Get-SlaWatchProxyParameter {
    <#
        .SYNOPSIS
        The Invoke-WebRequest parameters for api.proxy, identical in meaning on Windows PowerShell 5.1 and 7.

        .DESCRIPTION
        - empty/null (default): the system proxy (Windows: the WinINet/WinHTTP settings; elsewhere HTTPS_PROXY,
          HTTP_PROXY and NO_PROXY), with the account's default credentials (Kerberos/NTLM) for a proxy that asks:
          a service account behind an authenticating proxy would otherwise get 407 on every run. No parameter is
          added; the credentials are set once on the process-wide default proxy.
        - 'direct': no proxy (a session whose proxy is an empty WebProxy, which bypasses every destination).
        - a URL: that proxy for every destination, loopback included, with the default credentials.
        Returns a hashtable to splat onto Invoke-WebRequest.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [AllowEmptyString()]
        [string]$Proxy
    )

    if (-not $Proxy) {
        if ($PSVersionTable.PSEdition -eq 'Core') {
            $default = [System.Net.Http.HttpClient]::DefaultProxy
        }
        else {
            $default = [System.Net.WebRequest]::DefaultWebProxy
        }
        if (($null -ne $default) -and ($null -eq $default.Credentials)) {
            $default.Credentials = [System.Net.CredentialCache]::DefaultCredentials
        }
        return @{}
    }
    # A session's proxy, not -Proxy: PowerShell 7's -Proxy skips the proxy for local addresses (loopback and
    # dotless names), and 5.1 has no -NoProxy. The session works the same on both editions.
    $session = New-Object -TypeName Microsoft.PowerShell.Commands.WebRequestSession
    if ($Proxy -eq 'direct') {
        $session.Proxy = New-Object -TypeName System.Net.WebProxy  # no address: every destination is bypassed
    }
    else {
        $chosen = New-Object -TypeName System.Net.WebProxy -ArgumentList $Proxy
        $chosen.BypassProxyOnLocal = $false
        $chosen.UseDefaultCredentials = $true
        $session.Proxy = $chosen
    }
    @{ WebSession = $session }
}
