// Package signer implements Huawei Cloud's AK/SK request signing (SDK-HMAC-SHA256), for both
// sides: the client signs requests, the emulator verifies them the way the API gateway does.
package signer
