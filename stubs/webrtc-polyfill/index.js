// murder-action never uses WebRTC: peers talk plain TCP inside the fleet.
// Exports the names simple-peer looks for, all undefined, so WebRTC stays off.
export const RTCPeerConnection = undefined
export const RTCSessionDescription = undefined
export const RTCIceCandidate = undefined
export default {}
