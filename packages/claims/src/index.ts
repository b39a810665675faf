export { CLAIMS, isClaimId, type Claim, type ClaimId } from './claims';
export { claimIdsIn, type CheckedTitle } from './claim-ids';
