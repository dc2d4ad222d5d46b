function Get-SlaWatchChecksumSha256 {
    <#
        .SYNOPSIS
        Base64 of the SHA-256 of the exact bytes sent: the x-amz-checksum-sha256 header S3 Object Lock accepts.

        .DESCRIPTION
        SHA-256, not MD5: .NET Framework refuses MD5 under a FIPS policy, and an edge-optimized API drops
        Content-MD5. System.Security.Cryptography.SHA256 works on Windows PowerShell 5.1 and 7, FIPS or not.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [byte[]]$Bytes
    )

    $sha256 = [System.Security.Cryptography.SHA256]::Create()
    try {
        [Convert]::ToBase64String($sha256.ComputeHash($Bytes))
    }
    finally {
        $sha256.Dispose()
    }
}
